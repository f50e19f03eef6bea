import {
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
  Tree,
  type TreeNodeData,
  useTree,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { type Goal, useAllGoals, useCurrentCycle, useUnits } from "../api/hooks.ts";
import { useFormat } from "../app/session.ts";
import { GoalLink } from "../components/links.tsx";
import { PersonName } from "../components/person-name.tsx";
import { PersonPicker } from "../components/person-picker.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";
import { STATUSES, StatusBadge, statusLabel } from "../components/status.tsx";
import { buildCascade, type CascadeNode } from "../lib/cascade.ts";
import { formatNumber, formatPercent } from "../lib/format.ts";
import { ancestorsOf } from "../lib/units.ts";

type NodeInfo = { goal: Goal; weight: number | null; otherParents: number };

function toTreeData(nodes: CascadeNode[], info: Map<string, NodeInfo>): TreeNodeData[] {
  return nodes.map((n) => {
    info.set(n.value, { goal: n.goal, weight: n.weight, otherParents: n.otherParents });
    return { value: n.value, label: n.goal.title, children: toTreeData(n.children, info) };
  });
}

export function CascadePage() {
  const search = useSearch({ from: "/app/cascade" });
  const navigate = useNavigate({ from: "/cascade" });
  const f = useFormat();
  const cycle = useCurrentCycle();
  const units = useUnits();
  const all = useAllGoals({ cycleId: cycle.data?.id }, cycle.isSuccess);
  const [q, setQ] = useState(search.q ?? "");
  const [debouncedQ] = useDebouncedValue(q.trim().toLowerCase(), 200);
  const filtering = Boolean(debouncedQ || search.status || search.unitId || search.ownerId);

  const { data, info } = useMemo(() => {
    const info = new Map<string, NodeInfo>();
    if (!all.data || !units.data) return { data: [] as TreeNodeData[], info };
    const anc = ancestorsOf(units.data);
    const keep = (g: Goal) =>
      (!debouncedQ || g.title.toLowerCase().includes(debouncedQ)) &&
      (!search.status || (g.progress?.status ?? "no_data") === search.status) &&
      (!search.ownerId || g.ownerId === search.ownerId) &&
      (!search.unitId ||
        (g.unitId !== null &&
          (g.unitId === search.unitId || (anc.get(g.unitId) ?? []).includes(search.unitId))));
    return { data: toTreeData(buildCascade(all.data, keep), info), info };
  }, [all.data, units.data, debouncedQ, search.status, search.unitId, search.ownerId]);

  // What is open is derived, not set by an effect: company objectives by default, everything while a
  // filter is on (so each match shows), plus what the person opened or closed since the filter last
  // changed. An effect raced Mantine's Tree, which re-initialises its expanded state on new data.
  const filterKey = `${debouncedQ}|${search.status ?? ""}|${search.unitId ?? ""}|${search.ownerId ?? ""}`;
  const [changes, setChanges] = useState<{ key: string; state: Record<string, boolean> }>({
    key: "",
    state: {},
  });
  const expanded = useMemo(() => {
    const open = filtering ? [...info.keys()] : data.map((n) => n.value);
    const defaults = Object.fromEntries(open.map((k) => [k, true]));
    return changes.key === filterKey ? { ...defaults, ...changes.state } : defaults;
  }, [info, data, filtering, changes, filterKey]);
  const setExpanded = useCallback(
    (state: Record<string, boolean>) => setChanges({ key: filterKey, state }),
    [filterKey],
  );
  const tree = useTree({ expandedState: expanded, onExpandedStateChange: setExpanded });
  const setAll = (open: boolean) => setExpanded(Object.fromEntries([...info.keys()].map((k) => [k, open])));

  return (
    <Stack>
      <div>
        <Title order={1}>Cascade</Title>
        <Text size="sm" c="dimmed">
          How goals support each other, from the company objectives down. Use the arrow keys to move through
          the tree, and Enter or Space to open and close a branch.
        </Text>
      </div>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Words in the title"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={240}
        />
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
          value={search.status ?? null}
          onChange={(v) => navigate({ search: (s) => ({ ...s, status: v ?? undefined }) })}
          w={180}
        />
        <Select
          label="Unit"
          placeholder="Any unit"
          clearable
          searchable
          data={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={search.unitId ?? null}
          onChange={(v) => navigate({ search: (s) => ({ ...s, unitId: v ?? undefined }) })}
          w={220}
        />
        <PersonPicker
          label="Owner"
          value={search.ownerId ?? null}
          onChange={(v) => navigate({ search: (s) => ({ ...s, ownerId: v ?? undefined }) })}
          w={220}
        />
        <Button variant="default" onClick={() => setAll(true)}>
          Expand all
        </Button>
        <Button variant="default" onClick={() => setAll(false)}>
          Collapse all
        </Button>
      </Group>
      {all.isPending || units.isPending ? (
        <Loading label="Loading the cascade…" />
      ) : all.error || units.error ? (
        <ErrorState error={all.error ?? units.error} onRetry={() => all.refetch()} />
      ) : data.length === 0 ? (
        <Empty title="No goals match">Change the search or the filters.</Empty>
      ) : (
        <Paper withBorder p="sm">
          <Tree
            data={data}
            tree={tree}
            aria-label="Goal cascade"
            levelOffset="lg"
            expandOnClick={false}
            renderNode={({ node, expanded, hasChildren, elementProps, tree: t }) => {
              const n = info.get(node.value);
              if (!n) return null;
              const g = n.goal;
              return (
                <Group gap="xs" wrap="wrap" py={4} {...elementProps} data-goal-id={g.id}>
                  {hasChildren ? (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      tabIndex={-1}
                      aria-hidden
                      onClick={(e) => {
                        e.stopPropagation();
                        t.toggleExpanded(node.value);
                      }}
                    >
                      {expanded ? "−" : "+"}
                    </Button>
                  ) : (
                    <span style={{ width: 26, display: "inline-block" }} />
                  )}
                  <GoalLink id={g.id}>{g.title}</GoalLink>
                  <StatusBadge status={g.progress?.status} />
                  <Text size="xs">{formatPercent(f, g.progress?.attainment)}</Text>
                  <Text size="xs" c="dimmed">
                    <PersonName id={g.ownerId} size="xs" /> · {g.level}
                    {n.weight !== null ? ` · weight ${formatNumber(f, n.weight, 2)}` : ""}
                  </Text>
                  {n.otherParents > 0 ? (
                    <Badge
                      size="xs"
                      variant="outline"
                      color="grape.9"
                      title="This goal supports more than one goal and appears under each"
                    >
                      also under {n.otherParents} other goal{n.otherParents > 1 ? "s" : ""}
                    </Badge>
                  ) : null}
                </Group>
              );
            }}
          />
        </Paper>
      )}
    </Stack>
  );
}
