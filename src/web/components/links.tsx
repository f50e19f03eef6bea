/** Mantine's Anchor and Button as type-checked router links (params and search are checked). */
import { Anchor, type AnchorProps, Button, type ButtonProps } from "@mantine/core";
import { createLink } from "@tanstack/react-router";
import { type AnchorHTMLAttributes, forwardRef } from "react";

type AnchorElProps = AnchorProps & AnchorHTMLAttributes<HTMLAnchorElement>;
const MantineAnchor = forwardRef<HTMLAnchorElement, AnchorElProps>((props, ref) => (
  <Anchor component="a" ref={ref} {...props} />
));
export const AnchorLink = createLink(MantineAnchor);

type ButtonElProps = ButtonProps & AnchorHTMLAttributes<HTMLAnchorElement>;
const MantineButtonAnchor = forwardRef<HTMLAnchorElement, ButtonElProps>((props, ref) => (
  <Button component="a" ref={ref} {...props} />
));
export const ButtonLink = createLink(MantineButtonAnchor);

/** A link to a goal's page (today's view). */
export function GoalLink({ id, children, asOf }: { id: string; children: React.ReactNode; asOf?: string }) {
  return (
    <AnchorLink to="/goals/$goalId" params={{ goalId: id }} search={{ asOf }}>
      {children}
    </AnchorLink>
  );
}
