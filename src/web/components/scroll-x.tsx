import type { ReactNode } from "react";

/** A horizontally scrolling region for wide tables on narrow screens; focusable so keyboards can scroll it. */
export function ScrollX({
  label,
  minWidth,
  maxHeight,
  children,
}: {
  label: string;
  minWidth: number;
  maxHeight?: number;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
    <section aria-label={label} tabIndex={0} style={{ overflow: "auto", maxHeight }}>
      <div style={{ minWidth }}>{children}</div>
    </section>
  );
}
