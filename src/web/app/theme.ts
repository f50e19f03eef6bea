import { type CSSVariablesResolver, createTheme } from "@mantine/core";

export const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: 8,
  defaultRadius: "sm",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  // Visible focus everywhere, keyboard or not.
  focusRing: "always",
});

/** Mantine's default "dimmed" grey is below WCAG AA contrast on white; ours is darker. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": "#495057",
    "--mantine-color-placeholder": "#6b7280",
    "--mantine-color-error": "#c92a2a",
  },
  dark: {},
});
