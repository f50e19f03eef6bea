/**
 * Checks rows of an import file in batches: reads each row through the mapping, looks up its metric
 * and scope (one query per batch for what is not yet known), and finds rows the caller may not
 * write, future periods and duplicate keys within the file. The dry run and the commit use the same
 * checker, so the preview shows what the commit will do.
 */
import { dayNumber } from "../../../domain/dates.ts";
import type { Actor } from "../../actor.ts";
import type { Db } from "../../db/connection.ts";
import { canWriteMeasurements } from "../measurements/measurements.policy.ts";
import type { BulkMeasurementRow } from "../measurements/measurements.schema.ts";
import { findMetricFactsByIdsOrKeys, type MetricFacts } from "../metrics/metrics.service.ts";
import type { FileRow } from "./imports.parse.ts";
import { findPeopleByIdOrEmail, findUnitsByIdOrName } from "./imports.repo.ts";
import { type CellFault, type ColumnMapping, type ReadRow, readRow } from "./imports.rows.ts";

export type CheckedRow = {
  rowNumber: number;
  cells: string[];
  read: ReadRow | null;
  /** what the bulk write receives; null when the row has problems */
  bulk: BulkMeasurementRow | null;
  faults: CellFault[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createRowChecker(opts: {
  db: Db;
  actor: Actor;
  headers: string[];
  mapping: ColumnMapping;
  sourceName: string;
  today: string;
  /** the organisation's time zone: date cells with a time are read in it */
  timeZone: string;
}) {
  const { db, actor, mapping } = opts;
  const orgId = actor.orgId;
  const headerIndex = new Map<string, number>();
  opts.headers.forEach((h, i) => {
    if (!headerIndex.has(h)) headerIndex.set(h, i);
  });
  const metrics = new Map<string, MetricFacts | null>();
  const persons = new Map<string, string | null>();
  const units = new Map<string, string | null>();
  // Duplicate keys within the file, one entry per row: packed into one number (53 bits: metric 10,
  // scope 20, first day 16, length 7) while it fits, a string otherwise. A million rows then take
  // ~45 MB instead of ~335 MB as strings.
  const seen = new Map<number | string, number>();
  const shortIds = new Map<string, number>();
  const short = (id: string) => {
    let n = shortIds.get(id);
    if (n === undefined) {
      n = shortIds.size;
      shortIds.set(id, n);
    }
    return n;
  };
  const keyOf = (metricId: string, scopeId: string, start: string, end: string): number | string => {
    const m = short(metricId);
    const s = short(scopeId);
    const d = dayNumber(start);
    const len = dayNumber(end) - d;
    if (m < 2 ** 10 && s < 2 ** 20 && d >= 0 && d < 2 ** 16 && len >= 0 && len < 2 ** 7)
      return ((m * 2 ** 20 + s) * 2 ** 16 + d) * 2 ** 7 + len;
    return `${m}:${s}:${start}:${end}`;
  };
  const col = (field: "metric" | "scope" | "scopeType" | "periodStart", fallback: string) =>
    mapping[field] ?? fallback;

  async function lookUp(reads: ReadRow[]) {
    const newMetrics = [...new Set(reads.map((r) => r.metric))].filter((m) => !metrics.has(m));
    if (newMetrics.length > 0) {
      const found = await findMetricFactsByIdsOrKeys(
        db,
        orgId,
        newMetrics.filter((m) => UUID.test(m)),
        newMetrics,
      );
      for (const m of newMetrics) {
        metrics.set(m, found.find((f) => f.key === m || f.id === m.toLowerCase()) ?? null);
      }
    }
    const scopes = reads.filter((r) => r.scope !== "" && r.scopeType !== "org");
    const newPersons = [
      ...new Set(scopes.filter((r) => r.scopeType !== "unit").map((r) => r.scope.toLowerCase())),
    ].filter((s) => !persons.has(s));
    if (newPersons.length > 0) {
      const found = await findPeopleByIdOrEmail(db, orgId, newPersons);
      for (const s of newPersons) persons.set(s, found.get(s) ?? null);
    }
    const newUnits = [
      ...new Set(
        scopes
          .filter((r) => r.scopeType === "unit" || (r.scopeType === null && !r.scope.includes("@")))
          .map((r) => r.scope.toLowerCase()),
      ),
    ].filter((s) => !units.has(s));
    if (newUnits.length > 0) {
      const found = await findUnitsByIdOrName(db, orgId, newUnits);
      for (const s of newUnits) units.set(s, found.get(s) ?? null);
    }
  }

  function resolveScope(r: ReadRow): { type: "org" | "unit" | "person"; id: string | undefined } | CellFault {
    const text = r.scope.toLowerCase();
    const column = col("scope", "scope");
    if (r.scopeType === "org" || (r.scopeType === null && r.scope === "")) {
      if (r.scope !== "" && text !== orgId)
        return { column, message: "organisation scope takes no scope: leave the cell empty" };
      return { type: "org", id: undefined };
    }
    if (r.scope === "")
      return {
        column,
        message: `missing value: ${r.scopeType} scope needs the ${r.scopeType}'s id, e-mail or name`,
      };
    const person = r.scopeType !== "unit" ? persons.get(text) : null;
    if (person) return { type: "person", id: person };
    const unit = r.scopeType !== "person" ? units.get(text) : null;
    if (unit) return { type: "unit", id: unit };
    const what =
      r.scopeType === "person"
        ? "person with this id or e-mail"
        : r.scopeType === "unit"
          ? "unit with this id or name"
          : "person (id or e-mail) or unit (id or name) like this";
    return { column, message: `no ${what} in the organisation: "${r.scope}"` };
  }

  return {
    /** Checks the next rows of the file, in file order (duplicates are found across batches). */
    async check(rows: FileRow[]): Promise<CheckedRow[]> {
      const firstPass = rows.map((fr) => {
        if (fr.badEncoding) {
          const i = fr.cells.findIndex((c) => c.includes("\uFFFD"));
          const column = i >= 0 ? (opts.headers[i] ?? `column ${i + 1}`) : "row";
          return {
            fr,
            faults: [
              {
                column,
                message: `line ${fr.rowNumber} is not valid UTF-8 (wrong encoding?): save the file as UTF-8 and upload it again`,
              },
            ],
            read: null,
          };
        }
        const res = readRow(fr.cells, headerIndex, mapping, {
          source: opts.sourceName,
          timeZone: opts.timeZone,
        });
        return { fr, faults: res.faults as CellFault[], read: res.row };
      });
      await lookUp(firstPass.flatMap((p) => (p.read ? [p.read] : [])));
      return firstPass.map(({ fr, faults, read }): CheckedRow => {
        const out = { rowNumber: fr.rowNumber, cells: fr.cells, read, bulk: null, faults };
        if (!read) return out;
        const metric = metrics.get(read.metric);
        const rowFaults: CellFault[] = [];
        if (!metric)
          rowFaults.push({
            column: col("metric", "metricKey"),
            message: `no metric with key or id "${read.metric}" in the KPI library`,
          });
        else if (!canWriteMeasurements(actor, metric))
          rowFaults.push({
            column: col("metric", "metricKey"),
            message: `you may not record ${metric.key}: only administrators, the performance office and its steward do`,
          });
        const scope = resolveScope(read);
        if ("message" in scope) rowFaults.push(scope);
        if (read.periodStart > opts.today)
          rowFaults.push({
            column: col("periodStart", "periodStart"),
            message: `${read.periodStart} is in the future (today is ${opts.today}); import values once they happen`,
          });
        if (rowFaults.length > 0 || !metric || "message" in scope) return { ...out, faults: rowFaults };
        const key = keyOf(metric.id, scope.id ?? orgId, read.periodStart, read.periodEnd);
        const earlier = seen.get(key);
        if (earlier !== undefined)
          return {
            ...out,
            faults: [
              {
                column: col("periodStart", "periodStart"),
                message: `duplicate key: row ${earlier} already has a value for ${metric.key}, this scope and period ${read.periodStart}..${read.periodEnd}`,
              },
            ],
          };
        seen.set(key, fr.rowNumber);
        const bulk: BulkMeasurementRow = {
          metricId: metric.id,
          scopeType: scope.type,
          ...(scope.id ? { scopeId: scope.id } : {}),
          periodStart: read.periodStart,
          periodEnd: read.periodEnd,
          value: read.value,
          note: read.note,
          source: read.source,
        };
        return { ...out, bulk };
      });
    },
  };
}
