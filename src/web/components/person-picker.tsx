import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, must } from "../api/client.ts";
import { usePerson } from "../api/hooks.ts";

/** Choose a person by typing part of their name (searched on the server). */
export function PersonPicker({
  label,
  value,
  onChange,
  placeholder = "Anyone",
  w,
}: {
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  placeholder?: string;
  w?: number;
}) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const selected = usePerson(value);
  const people = useQuery({
    queryKey: ["people", "search", q],
    queryFn: async () =>
      must(await api.GET("/api/v1/people", { params: { query: { limit: 20, ...(q ? { q } : {}) } } })).items,
  });
  const list = [...(people.data ?? [])];
  if (selected.data && !list.some((p) => p.id === selected.data.id)) list.unshift(selected.data);
  return (
    <Select
      label={label}
      placeholder={placeholder}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      data={list.map((p) => ({ value: p.id, label: p.name }))}
      value={value}
      onChange={onChange}
      nothingFoundMessage={people.isFetching ? "Searching…" : "Nobody found"}
      w={w}
    />
  );
}
