import {
  Alert,
  Anchor,
  Button,
  Center,
  Code,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { ApiError, api, must } from "../api/client.ts";
import { meQuery } from "../app/session.ts";

/**
 * The demo organisation's logins, when the server offers them (only a demo install does); a 404 or
 * any error simply hides the list.
 */
function useDemoLogins() {
  return useQuery({
    queryKey: ["demo-logins"],
    queryFn: async () => (await api.GET("/api/v1/auth/demo-logins")).data ?? null,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Only same-site paths may be redirect targets, so a link cannot send someone elsewhere. */
function safeRedirect(target: string | undefined): string {
  if (!target?.startsWith("/") || target.startsWith("//")) return "/";
  return target.startsWith("/sign-in") ? "/" : target;
}

export function SignInPage() {
  const search = useSearch({ from: "/sign-in" });
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const demo = useDemoLogins();
  const login = useMutation({
    mutationFn: async () => must(await api.POST("/api/v1/auth/login", { body: { email, password } })),
    onSuccess: async (me) => {
      qc.clear();
      qc.setQueryData(meQuery.queryKey, me);
      await navigate({ to: safeRedirect(search.redirect) });
    },
  });
  const err = login.error instanceof ApiError ? login.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  return (
    <Center mih="100vh" p="md" component="main">
      <Stack w="100%" maw={420}>
        <Title order={1} ta="center">
          Yardstick
        </Title>
        <Text ta="center" c="dimmed">
          SMART goals, measured and tracked
        </Text>
        <Paper withBorder p="lg" component="form" onSubmit={submit} noValidate aria-label="Sign in">
          <Stack>
            <Title order={2} size="h3">
              Sign in
            </Title>
            {search.redirect && !login.isError ? (
              <Text size="sm" role="status">
                Your session has ended or you are not signed in. Sign in to continue.
              </Text>
            ) : null}
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={err?.fieldError("email")}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={err?.fieldError("password")}
            />
            {err && err.errors.length === 0 ? (
              <Alert color="red" role="alert" variant="light" title="Not signed in">
                {err.message}
              </Alert>
            ) : null}
            <Button type="submit" loading={login.isPending}>
              Sign in
            </Button>
          </Stack>
        </Paper>
        {demo.data ? (
          <Paper withBorder p="md" aria-labelledby="demo-logins">
            <Title order={2} size="h4" id="demo-logins">
              Demo logins
            </Title>
            <Text size="sm" mb="xs">
              Every demo account uses the password <Code>{demo.data.password}</Code>.
            </Text>
            <Table fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>Email</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {demo.data.logins.map((l) => (
                  <Table.Tr key={l.email}>
                    <Table.Td>
                      {l.name}
                      <Text size="xs" c="dimmed">
                        {l.role}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Anchor
                        component="button"
                        type="button"
                        size="sm"
                        onClick={() => {
                          setEmail(l.email);
                          if (demo.data) setPassword(demo.data.password);
                        }}
                      >
                        {l.email}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        ) : null}
      </Stack>
    </Center>
  );
}
