import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, must } from "../../api/client.ts";
import { type Person, useUnits } from "../../api/hooks.ts";
import { PersonName } from "../../components/person-name.tsx";
import { ScrollX } from "../../components/scroll-x.tsx";
import { Empty, ErrorState, Loading } from "../../components/states.tsx";

const ROLES = [
  "admin",
  "performance_office",
  "executive",
  "manager",
  "employee",
  "data_steward",
  "auditor",
] as const;
type Role = (typeof ROLES)[number];

function EditPerson({ person, onDone }: { person: Person; onDone: () => void }) {
  const qc = useQueryClient();
  const units = useUnits();
  const [roles, setRoles] = useState<string[]>(person.roles);
  const [unitId, setUnitId] = useState<string | null>(person.unitId);
  const [managerId, setManagerId] = useState(person.managerId ?? "");
  const [active, setActive] = useState(person.active);
  const save = useMutation({
    mutationFn: async () =>
      must(
        await api.PATCH("/api/v1/people/{id}", {
          params: { path: { id: person.id } },
          body: { roles: roles as Role[], unitId, managerId: managerId || null, active },
        }),
      ),
    onSuccess: async (p) => {
      qc.setQueryData(["person", p.id], p);
      await qc.invalidateQueries({ queryKey: ["people"] });
      onDone();
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <MultiSelect
          label="Roles"
          data={ROLES.map((r) => ({ value: r, label: r.replaceAll("_", " ") }))}
          value={roles}
          onChange={setRoles}
          error={err?.fieldError("roles")}
        />
        <Select
          label="Unit"
          searchable
          data={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={unitId}
          onChange={setUnitId}
          error={err?.fieldError("unitId")}
        />
        <TextInput
          label="Manager (person id)"
          description={
            <>
              Now: <PersonName id={person.managerId} size="xs" />
            </>
          }
          value={managerId}
          onChange={(e) => setManagerId(e.currentTarget.value)}
          error={err?.fieldError("managerId")}
        />
        <Switch
          label="Active (inactive people cannot sign in)"
          checked={active}
          onChange={(e) => setActive(e.currentTarget.checked)}
        />
        {err && err.errors.length === 0 ? (
          <Alert color="red" role="alert" variant="light">
            {err.message}
          </Alert>
        ) : null}
        <Button type="submit" loading={save.isPending} w="fit-content">
          Save person
        </Button>
      </Stack>
    </form>
  );
}

export function PeopleAdmin() {
  const [q, setQ] = useState("");
  const [debounced] = useDebouncedValue(q.trim(), 250);
  const [inactive, setInactive] = useState(false);
  const [editing, setEditing] = useState<Person | null>(null);
  const list = useInfiniteQuery({
    queryKey: ["people", "admin", debounced, inactive],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      must(
        await api.GET("/api/v1/people", {
          params: {
            query: {
              limit: 50,
              cursor: pageParam,
              ...(debounced ? { q: debounced } : {}),
              ...(inactive ? {} : { active: "true" }),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Group align="flex-end">
        <TextInput
          label="Search people"
          placeholder="Name or email"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={260}
        />
        <Checkbox
          label="Include inactive people"
          checked={inactive}
          onChange={(e) => setInactive(e.currentTarget.checked)}
        />
      </Group>
      {list.isPending ? (
        <Loading label="Loading people…" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <Empty title="Nobody found" />
      ) : (
        <ScrollX label="People" minWidth={720}>
          <Table fz="sm" striped aria-label="People">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Title</Table.Th>
                <Table.Th>Manager</Table.Th>
                <Table.Th>Roles</Table.Th>
                <Table.Th>
                  <Text span size="sm" fw={700}>
                    Actions
                  </Text>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    {p.name}
                    {!p.active ? (
                      <Badge ml="xs" size="xs" color="gray.8">
                        inactive
                      </Badge>
                    ) : null}
                    <Text size="xs" c="dimmed">
                      {p.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>{p.title || "—"}</Table.Td>
                  <Table.Td>
                    <PersonName id={p.managerId} />
                  </Table.Td>
                  <Table.Td>{p.roles.map((r) => r.replaceAll("_", " ")).join(", ")}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="default"
                      onClick={() => setEditing(p)}
                      aria-label={`Edit ${p.name}`}
                    >
                      Edit
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollX>
      )}
      {list.hasNextPage ? (
        <Button
          variant="default"
          size="xs"
          onClick={() => list.fetchNextPage()}
          loading={list.isFetchingNextPage}
          w="fit-content"
        >
          Show more people
        </Button>
      ) : null}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing ? `Edit ${editing.name}` : ""}
      >
        {editing ? <EditPerson person={editing} onDone={() => setEditing(null)} /> : null}
      </Modal>
    </Stack>
  );
}
