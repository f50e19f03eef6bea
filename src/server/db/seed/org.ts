/**
 * The demo organisation's shape: units (company → divisions → departments → teams) and people, with
 * heads as managers and the featured demo logins. Planned in memory first, then written in batches.
 */
import type { Role } from "../../actor.ts";
import { apportion, DIVISIONS, type DivisionKey, departmentName } from "./divisions.ts";
import { emailLocalPart, FIRST_NAMES, LAST_NAMES, TEAM_NAMES } from "./names.ts";
import type { Rng } from "./random.ts";

export const DEMO_ORG_NAME = "Northwind Analytics";
export const DEMO_DOMAIN = "northwind.example";
export const MIN_DEMO_PEOPLE = 40;

export type UnitKind = "company" | "division" | "department" | "team";
export type UnitPlan = {
  id: string;
  parentId: string | null;
  name: string;
  kind: UnitKind;
  division: DivisionKey | null;
  headId: string | null;
  /** people in this unit and below, for scaling unit-level figures */
  headcount: number;
};
export type PersonPlan = {
  id: string;
  email: string;
  name: string;
  title: string;
  unitId: string;
  managerId: string | null;
  roles: Role[];
  active: boolean;
  division: DivisionKey | null;
};
export type Featured = "ceo" | "perf" | "admin" | "steward" | "steward2" | "auditor" | "manager" | "employee";

export type OrgPlan = {
  units: UnitPlan[];
  people: PersonPlan[];
  company: UnitPlan;
  featured: Record<Featured, PersonPlan>;
  /** active members (not the lead) of each team */
  membersByTeam: Map<string, PersonPlan[]>;
};

/** Plans ~`size` people: teams of ~7, ~2 teams per department, five divisions. */
export function planOrg(rng: Rng, newId: () => string, size: number): OrgPlan {
  if (!Number.isInteger(size) || size < MIN_DEMO_PEOPLE) {
    throw new RangeError(
      `the demo organisation needs at least ${MIN_DEMO_PEOPLE} people (asked for ${size})`,
    );
  }
  const teamCount = Math.max(10, Math.round(size / 8));
  const deptCount = Math.max(DIVISIONS.length, Math.round(teamCount / 2.2));
  const deptsPerDivision = apportion(
    deptCount,
    DIVISIONS.map((d) => d.weight),
  );
  const teamsPerDept = apportion(teamCount, Array(deptCount).fill(1));

  const units: UnitPlan[] = [];
  const people: PersonPlan[] = [];
  const usedEmails = new Set<string>();
  const unit = (parentId: string | null, name: string, kind: UnitKind, division: DivisionKey | null) => {
    const u: UnitPlan = { id: newId(), parentId, name, kind, division, headId: null, headcount: 0 };
    units.push(u);
    return u;
  };
  const person = (
    u: UnitPlan,
    managerId: string | null,
    title: string,
    roles: Role[],
    alias?: string,
  ): PersonPlan => {
    const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    let local = alias ?? emailLocalPart(name);
    for (let n = 2; usedEmails.has(local); n++) local = `${alias ?? emailLocalPart(name)}${n}`;
    usedEmails.add(local);
    const p: PersonPlan = {
      id: newId(),
      email: `${local}@${DEMO_DOMAIN}`,
      name,
      title,
      unitId: u.id,
      managerId,
      roles: roles.includes("employee") ? roles : [...roles, "employee"],
      active: true,
      division: u.division,
    };
    people.push(p);
    return p;
  };

  const company = unit(null, DEMO_ORG_NAME, "company", null);
  const ceo = person(company, null, "Chief Executive Officer", ["executive", "manager"], "ceo");
  company.headId = ceo.id;

  const teams: UnitPlan[] = [];
  const leads = new Map<string, PersonPlan>();
  const deptHeads: PersonPlan[] = [];
  const divisionHeads = new Map<DivisionKey, PersonPlan>();
  const divisionUnits = new Map<DivisionKey, UnitPlan>();
  let deptIndex = 0;
  for (const [d, def] of DIVISIONS.entries()) {
    const div = unit(company.id, def.name, "division", def.key);
    divisionUnits.set(def.key, div);
    const head = person(div, ceo.id, def.headTitle, ["executive", "manager"]);
    div.headId = head.id;
    divisionHeads.set(def.key, head);
    for (let k = 0; k < (deptsPerDivision[d] as number); k++) {
      const dept = unit(div.id, departmentName(def, k), "department", def.key);
      const dh = person(dept, head.id, `Head of ${dept.name}`, ["manager"]);
      dept.headId = dh.id;
      deptHeads.push(dh);
      for (let t = 0; t < (teamsPerDept[deptIndex] as number); t++) {
        const nick = TEAM_NAMES[teams.length % TEAM_NAMES.length] as string;
        const lap = Math.floor(teams.length / TEAM_NAMES.length);
        const team = unit(dept.id, `${dept.name} · ${nick}${lap > 0 ? ` ${lap + 1}` : ""}`, "team", def.key);
        const lead = person(team, dh.id, `Team Lead, ${nick}`, ["manager"]);
        team.headId = lead.id;
        leads.set(team.id, lead);
        teams.push(team);
      }
      deptIndex += 1;
    }
  }

  const ops = divisionUnits.get("operations") as UnitPlan;
  const peopleDiv = divisionUnits.get("people") as UnitPlan;
  const financeDept = units.find((u) => u.parentId === peopleDiv.id && u.name === "Finance") ?? peopleDiv;
  const biDept = units.find((u) => u.parentId === ops.id && u.name === "Business Intelligence") ?? ops;
  const perf = person(
    peopleDiv,
    divisionHeads.get("people")?.id ?? ceo.id,
    "Performance Office Lead",
    ["performance_office"],
    "perf",
  );
  const admin = person(
    ops,
    divisionHeads.get("operations")?.id ?? ceo.id,
    "Systems Administrator",
    ["admin"],
    "admin",
  );
  const steward = person(
    biDept,
    biDept.headId,
    "Data Steward, Business Intelligence",
    ["data_steward"],
    "steward",
  );
  const steward2 = person(financeDept, financeDept.headId, "Data Steward, Finance", ["data_steward"]);
  const auditor = person(company, ceo.id, "Internal Auditor", ["auditor"], "auditor");

  // Members: what is left, spread over the teams; the featured manager and employee are the first
  // Sales team's lead and first member.
  const membersByTeam = new Map<string, PersonPlan[]>(teams.map((t) => [t.id, []]));
  const firstSalesTeam = teams.find((t) => t.division === "sales") as UnitPlan;
  const salesLead = leads.get(firstSalesTeam.id) as PersonPlan;
  const leadLocal = salesLead.email.split("@")[0] as string;
  usedEmails.delete(leadLocal);
  salesLead.email = `manager@${DEMO_DOMAIN}`;
  usedEmails.add("manager");
  const remaining = size - people.length;
  const perTeam = apportion(remaining, Array(teams.length).fill(1), 0);
  let employee: PersonPlan | undefined;
  for (const [i, team] of teams.entries()) {
    const def = DIVISIONS.find((d) => d.key === team.division);
    const lead = leads.get(team.id) as PersonPlan;
    for (let k = 0; k < (perTeam[i] as number); k++) {
      const isFeatured = team === firstSalesTeam && k === 0;
      const m = person(
        team,
        lead.id,
        rng.pick(def?.memberTitles ?? ["Specialist"]),
        [],
        isFeatured ? "employee" : undefined,
      );
      if (isFeatured) employee = m;
      // about one in a hundred has left: kept for history, no longer signs in or owns new goals
      else if (rng.chance(0.01)) m.active = false;
      if (m.active) membersByTeam.get(team.id)?.push(m);
    }
  }
  if (!employee) throw new RangeError("the demo organisation has no room for team members");

  countHeadcount(units, people);
  return {
    units,
    people,
    company,
    featured: { ceo, perf, admin, steward, steward2, auditor, manager: salesLead, employee },
    membersByTeam,
  };
}

function countHeadcount(units: UnitPlan[], people: PersonPlan[]): void {
  const byId = new Map(units.map((u) => [u.id, u]));
  for (const p of people) {
    for (let u = byId.get(p.unitId); u; u = u.parentId ? byId.get(u.parentId) : undefined) u.headcount += 1;
  }
}
