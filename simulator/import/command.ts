import { parseArgs } from 'node:util';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { HeatEvent } from '../../src/lib/engine/events';
import { UsageError, parseIntArg, table, type CliIo } from '../cli/io';
import { dayEvents, journalHeader, parseAnonymousBankFile, resolveMapping, type ImportCounts } from './anonymous-bank';
import { writeJournal, type JournalHeader } from './journal';
import { importQueueLogFile, queueLogJournalHeader, resolveLeadMapping } from './queue-log';
import { csvJournalHeader, importCsvFile, resolveCsvMapping, type CsvImport } from './csv';
import type { QueueLogCounts } from './queue-log-mapper';

export const IMPORT_USAGE = [
	`heatboard import anonymous-bank <file.txt> (--out journal.ndjson [--date yymmdd] | --out-dir DIR) [--mapping types.json]`,
	`heatboard import queue_log <queue_log> (--out journal.ndjson [--date yyyy-mm-dd] | --out-dir DIR) [--tz-offset=MINUTES] [--mapping queues.json]`,
	`heatboard import csv <calls.csv> --mapping map.json (--out journal.ndjson [--date yyyy-mm-dd] | --out-dir DIR)`
].join('\n       ');

const FORMATS = ['anonymous-bank', 'queue_log', 'csv'];

interface Values {
	out?: string;
	'out-dir'?: string;
	date?: string;
	mapping?: string;
	'tz-offset'?: string;
}

function formatCounts(c: ImportCounts): string {
	const rows = Object.entries(c.byReason)
		.filter(([, n]) => n > 0)
		.map(([reason, n]) => [reason, String(n)]);
	let text = table(rows) + '\n';
	for (const m of c.malformedLines) text += `  line ${m.line}: ${m.reason}\n`;
	return text;
}

async function readJsonArg(io: CliIo, path: string, flag: string): Promise<unknown> {
	let text: string;
	try {
		text = await readFile(resolve(io.cwd, path), 'utf8');
	} catch (err) {
		throw new UsageError(`${flag} ${path}: ${err instanceof Error ? err.message : String(err)}`);
	}
	try {
		return JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch (err) {
		throw new UsageError(`${flag} ${path}: not JSON: ${err instanceof Error ? err.message : String(err)}`);
	}
}

/** --out takes one day; --out-dir one file per day. */
async function writeDays(
	io: CliIo,
	values: Values,
	prefix: string,
	days: ReadonlyMap<string, HeatEvent[]>,
	header: (date: string, events: HeatEvent[]) => JournalHeader
): Promise<void> {
	const dates = [...days.keys()].sort();
	if (values.out !== undefined && dates.length !== 1)
		throw new UsageError(
			`--out writes one day, the file has ${dates.length} (${dates.slice(0, 5).join(', ')}${dates.length > 5 ? ', ...' : ''}): add --date or use --out-dir`
		);
	const outDir = values['out-dir'] !== undefined ? resolve(io.cwd, values['out-dir']) : undefined;
	if (outDir) await mkdir(outDir, { recursive: true });
	for (const date of dates) {
		const events = days.get(date) ?? [];
		const path = outDir ? join(outDir, `${prefix}-${date}.ndjson`) : resolve(io.cwd, values.out as string);
		await writeJournal(path, header(date, events), events);
		io.out(`${date}: ${events.length} events -> ${path}\n`);
	}
}

function queueLogSummary(
	c: QueueLogCounts & { otherDay: number },
	file: string,
	lines: Array<{ line: number; reason: string; detail: string }>
): string {
	const rows: string[][] = [
		['lines', String(c.lines)],
		['events', String(c.events)]
	];
	for (const [verb, n] of Object.entries(c.byVerb).sort()) rows.push([verb, String(n)]);
	for (const [verb, n] of Object.entries(c.unknownVerbs).sort()) rows.push([`unknown verb ${verb}`, String(n)]);
	for (const [reason, n] of Object.entries(c.rejected)) if (n > 0) rows.push([`rejected: ${reason}`, String(n)]);
	for (const [quirk, n] of Object.entries(c.quirks)) if (n > 0) rows.push([quirk, String(n)]);
	if (c.otherDay > 0) rows.push(['otherDay', String(c.otherDay)]);
	let text = table(rows) + '\n';
	for (const l of lines) text += `  ${file}:${l.line}: ${l.reason}: ${l.detail}\n`;
	return text;
}

function csvSummary(r: CsvImport, file: string): string {
	const rows: string[][] = [['rows', String(r.counts.rows)]];
	for (const [k, n] of Object.entries(r.counts.byOutcome)) rows.push([k, String(n)]);
	for (const [reason, n] of Object.entries(r.counts.rejected)) if (n > 0) rows.push([`rejected: ${reason}`, String(n)]);
	for (const [quirk, n] of Object.entries(r.counts.quirks)) if (n > 0) rows.push([quirk, String(n)]);
	let text = table(rows) + '\n';
	for (const l of r.rejectedLines) text += `  ${file}:${l.line}: ${l.reason}: ${l.detail}\n`;
	return text;
}

function checkDate(date: string | undefined, format: string): void {
	if (date === undefined) return;
	if (format === 'anonymous-bank') {
		if (!/^\d{6}$/.test(date)) throw new UsageError(`--date: expected yymmdd, got "${date}"`);
	} else if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
		throw new UsageError(`--date: expected yyyy-mm-dd, got "${date}"`);
}

/** Converts a recorded day (or every day of a file) to engine journals, one file per day. */
export async function importCommand(argv: string[], io: CliIo): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			out: { type: 'string' },
			'out-dir': { type: 'string' },
			date: { type: 'string' },
			mapping: { type: 'string' },
			'tz-offset': { type: 'string' }
		}
	});
	const [format, file] = positionals;
	if (format === undefined || !FORMATS.includes(format))
		throw new UsageError(`unknown format "${format ?? ''}" (known: ${FORMATS.join(', ')})`);
	if (file === undefined) throw new UsageError('missing the input file');
	checkDate(values.date, format);
	if ((values.out === undefined) === (values['out-dir'] === undefined))
		throw new UsageError('give either --out FILE (one day) or --out-dir DIR (a file per day)');
	if (values['tz-offset'] !== undefined && format !== 'queue_log')
		throw new UsageError(`--tz-offset is for queue_log (${format} carries its own clock or mapping)`);
	const input = resolve(io.cwd, file);
	const name = basename(file);
	if (format === 'queue_log') {
		const tz = parseIntArg('tz-offset', values['tz-offset'], -14 * 60) ?? 0;
		if (tz > 14 * 60) throw new UsageError(`--tz-offset: at most ${14 * 60} minutes, got ${tz}`);
		let mapping;
		if (values.mapping !== undefined) {
			try {
				mapping = resolveLeadMapping(await readJsonArg(io, values.mapping, '--mapping'));
			} catch (err) {
				if (err instanceof UsageError) throw err;
				throw new UsageError(`--mapping ${values.mapping}: ${err instanceof Error ? err.message : String(err)}`);
			}
		}
		const r = await importQueueLogFile(input, {
			tzOffsetMinutes: tz,
			...(values.date !== undefined ? { date: values.date } : {}),
			...(mapping ? { mapping } : {})
		});
		await writeDays(io, values, 'queue_log', r.days, (date, events) =>
			queueLogJournalHeader(date, events, name, tz, r.dayStart.get(date) ?? 0)
		);
		io.out(queueLogSummary(r.counts, name, r.rejectedLines));
		return 0;
	}
	if (format === 'csv') {
		if (values.mapping === undefined) throw new UsageError('csv needs --mapping map.json (which column is what)');
		let mapping;
		try {
			mapping = resolveCsvMapping(await readJsonArg(io, values.mapping, '--mapping'));
		} catch (err) {
			if (err instanceof UsageError) throw err;
			throw new UsageError(`--mapping ${values.mapping}: ${err instanceof Error ? err.message : String(err)}`);
		}
		let r: CsvImport;
		try {
			r = await importCsvFile(input, mapping, values.date !== undefined ? { date: values.date } : {});
		} catch (err) {
			// the mapping names a column the file does not have
			if (err instanceof Error && err.message.startsWith('mapping:')) throw new UsageError(`--mapping ${values.mapping}: ${err.message}`);
			throw err;
		}
		await writeDays(io, values, 'csv', r.days, (date, events) => csvJournalHeader(date, events, name, mapping, r.dayStart.get(date) ?? 0));
		io.out(csvSummary(r, name));
		return 0;
	}
	let mapping;
	if (values.mapping !== undefined) {
		const raw = await readJsonArg(io, values.mapping, '--mapping');
		try {
			mapping = resolveMapping(raw);
		} catch (err) {
			throw new UsageError(`--mapping ${values.mapping}: ${err instanceof Error ? err.message : String(err)}`);
		}
	}
	const parsed = await parseAnonymousBankFile(input, {
		...(values.date !== undefined ? { date: values.date } : {}),
		...(mapping ? { mapping } : {})
	});
	const converted = new Map<string, HeatEvent[]>();
	for (const date of parsed.days.keys()) converted.set(date, dayEvents(parsed.days.get(date) ?? [], parsed.counts));
	await writeDays(io, values, 'anonymous-bank', converted, (date, events) => journalHeader(date, events, name));
	io.out(formatCounts(parsed.counts));
	return 0;
}
