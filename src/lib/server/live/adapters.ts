import type { Adapter, EventSink } from '../adapters/types';
import type { AmiConfig, LiveConfig } from './config';

/** What every adapter gets besides its own settings. */
export interface AdapterContext {
	sink: EventSink;
	log: (line: string) => void;
}

/**
 * Makers of the adapters, passed in by whoever wires the server: this module names no adapter
 * module, so the live source builds and is tested before (and without) any of them.
 */
export interface AdapterFactories {
	queueLog?: (options: { path: string } & AdapterContext) => Adapter;
	ami?: (options: AmiConfig & AdapterContext) => Adapter;
	httpIngest?: (options: { secret: string } & AdapterContext) => Adapter;
}

/**
 * The adapters the configuration asks for, each made by its factory. A configured adapter with no
 * factory is an error (a setting must not be silently ignored); all such errors in one message.
 */
export function createAdapters(config: LiveConfig, ctx: AdapterContext, factories: AdapterFactories): Adapter[] {
	const wanted: Array<() => Adapter> = [];
	const missing: string[] = [];
	if (config.queueLog !== null) {
		const path = config.queueLog;
		const make = factories.queueLog;
		if (make === undefined) missing.push('HEATBOARD_QUEUE_LOG is set, but this server has no queue_log adapter');
		else wanted.push(() => make({ path, ...ctx }));
	}
	if (config.ami !== null) {
		const ami = config.ami;
		const make = factories.ami;
		if (make === undefined) missing.push('HEATBOARD_AMI is set, but this server has no AMI adapter');
		else wanted.push(() => make({ ...ami, ...ctx }));
	}
	if (config.ingestSecret !== null) {
		const secret = config.ingestSecret;
		const make = factories.httpIngest;
		if (make === undefined) missing.push('HEATBOARD_INGEST_SECRET is set, but this server has no HTTP ingest endpoint');
		else wanted.push(() => make({ secret, ...ctx }));
	}
	if (missing.length > 0) throw new Error(`live adapters:\n  ${missing.join('\n  ')}`);
	return wanted.map((make) => make());
}

/**
 * Starts every adapter; if one fails, stops those already started and rethrows, naming the adapter,
 * so a half-started server does not keep a socket or a file open.
 */
export async function startAdapters(adapters: readonly Adapter[]): Promise<void> {
	const started: Adapter[] = [];
	for (const a of adapters) {
		try {
			await a.start();
		} catch (err) {
			await stopAdapters(started);
			throw new Error(`live adapter ${a.name} did not start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
		}
		started.push(a);
	}
}

/** Stops every adapter, the last started first; one failing to stop does not keep the others running. Returns the failures. */
export async function stopAdapters(adapters: readonly Adapter[]): Promise<string[]> {
	const failures: string[] = [];
	for (const a of [...adapters].reverse()) {
		try {
			await a.stop();
		} catch (err) {
			failures.push(`${a.name}: ${err instanceof Error ? err.message : String(err)}`);
		}
	}
	return failures;
}
