/** Northwind Analytics' divisions: what they are called, who leads them, what their people do. */
export type DivisionKey = "sales" | "success" | "product" | "operations" | "people";

export type DivisionDef = {
  key: DivisionKey;
  name: string;
  headTitle: string;
  /** share of the departments and teams */
  weight: number;
  departments: readonly string[];
  memberTitles: readonly string[];
};

export const DIVISIONS: readonly DivisionDef[] = [
  {
    key: "sales",
    name: "Sales",
    headTitle: "Chief Revenue Officer",
    weight: 0.24,
    departments: [
      "Enterprise Sales",
      "Mid-Market Sales",
      "Sales Development",
      "Partnerships",
      "Revenue Operations",
    ],
    memberTitles: [
      "Account Executive",
      "Sales Development Representative",
      "Solutions Consultant",
      "Sales Analyst",
    ],
  },
  {
    key: "success",
    name: "Customer Success",
    headTitle: "VP Customer Success",
    weight: 0.2,
    departments: ["Customer Support", "Account Management", "Onboarding & Training", "Customer Insights"],
    memberTitles: [
      "Support Engineer",
      "Customer Success Manager",
      "Onboarding Specialist",
      "Support Specialist",
    ],
  },
  {
    key: "product",
    name: "Product & Engineering",
    headTitle: "Chief Technology Officer",
    weight: 0.3,
    departments: [
      "Platform Engineering",
      "Data Products",
      "Product Management",
      "Design",
      "Site Reliability",
      "Quality Engineering",
    ],
    memberTitles: [
      "Software Engineer",
      "Senior Software Engineer",
      "Product Designer",
      "Data Engineer",
      "QA Engineer",
    ],
  },
  {
    key: "operations",
    name: "Operations",
    headTitle: "Chief Operating Officer",
    weight: 0.14,
    departments: ["Business Intelligence", "Delivery Operations", "Procurement", "IT Services"],
    memberTitles: ["Operations Analyst", "Delivery Coordinator", "BI Analyst", "IT Specialist"],
  },
  {
    key: "people",
    name: "People & Finance",
    headTitle: "Chief Financial Officer",
    weight: 0.12,
    departments: ["People Operations", "Talent Acquisition", "Finance", "Legal & Compliance"],
    memberTitles: ["Recruiter", "People Partner", "Financial Analyst", "Accountant", "Legal Counsel"],
  },
];

const REGIONS = ["EMEA", "Americas", "APAC", "Nordics", "DACH", "Benelux", "Iberia", "UK & Ireland"];

/** The n-th department name of a division; past the built-in list, the names repeat by region. */
export function departmentName(division: DivisionDef, n: number): string {
  const base = division.departments[n % division.departments.length] as string;
  const round = Math.floor(n / division.departments.length);
  if (round === 0) return base;
  const region = REGIONS[(round - 1) % REGIONS.length] as string;
  const lap = Math.floor((round - 1) / REGIONS.length);
  return lap === 0 ? `${base} ${region}` : `${base} ${region} ${lap + 1}`;
}

/** Splits `total` items over weights with the largest-remainder method; every share gets at least `min`. */
export function apportion(total: number, weights: readonly number[], min = 1): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const spare = Math.max(0, total - min * weights.length);
  const raw = weights.map((w) => (spare * w) / sum);
  const counts = raw.map((r) => min + Math.floor(r));
  let left = total - counts.reduce((s, c) => s + c, 0);
  const order = raw
    .map((r, i) => ({ i, frac: r - Math.floor(r) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    const i = (order[k] as { i: number }).i;
    counts[i] = (counts[i] as number) + 1;
  }
  return counts;
}
