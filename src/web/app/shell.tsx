import { AppShell, Burger, Button, Group, NavLink, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { Link, Outlet, useNavigate, useRouterState } from "@tanstack/react-router";
import { Suspense } from "react";
import { api } from "../api/client.ts";
import { Loading } from "../components/states.tsx";
import { canEditMetrics, canManagePeople, hasRole, useMe } from "./session.ts";

type NavItem = { to: string; label: string; show?: boolean };

export function Shell() {
  const me = useMe();
  const [opened, { toggle, close }] = useDisclosure(false);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const items: NavItem[] = [
    { to: "/", label: "My goals" },
    { to: "/cascade", label: "Cascade" },
    { to: "/team", label: "Team", show: hasRole(me, "manager", "executive", "admin", "performance_office") },
    { to: "/dashboard", label: "Dashboard" },
    { to: "/kpis", label: "KPI library" },
    {
      to: "/data-review",
      label: "Data review",
      show: hasRole(me, "admin", "performance_office", "data_steward"),
    },
    { to: "/import", label: "Import data", show: canEditMetrics(me) },
    {
      to: "/data-sources",
      label: "Data sources",
      show: hasRole(me, "admin", "performance_office", "auditor", "data_steward"),
    },
    { to: "/admin", label: "Administration", show: canManagePeople(me) },
  ];
  const isActive = (to: string) =>
    to === "/" ? pathname === "/" || pathname.startsWith("/goals") : pathname.startsWith(to);
  const signOut = async () => {
    await api.POST("/api/v1/auth/logout");
    qc.clear();
    await navigate({ to: "/sign-in", search: { redirect: undefined } });
  };
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Title order={2} size="h4">
              <Link to="/" style={{ color: "inherit", textDecoration: "none" }}>
                Yardstick
              </Link>
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="sm">
              {me.org.name}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="xs" fw={500}>
              {me.name}
            </Text>
            <Button variant="default" size="xs" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <Stack gap={2} component="nav" aria-label="Main navigation">
          {items
            .filter((i) => i.show !== false)
            .map((i) => (
              <NavLink
                key={i.to}
                component={Link}
                to={i.to}
                label={i.label}
                active={isActive(i.to)}
                aria-current={isActive(i.to) ? "page" : undefined}
                onClick={close}
              />
            ))}
          <NavLink
            href="/api/docs"
            label="API docs"
            target="_blank"
            rel="noopener"
            onClick={close}
            component="a"
          />
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
