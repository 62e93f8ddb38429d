import type { AddressInfo } from 'node:net';
import { createHeatboardServer, type HeatboardServer, type RequestHandler } from './http';
import { parseListenConfig } from './runtime-config';
import { installGracefulShutdown, type ShutdownProcess } from './shutdown';

export interface StartOptions {
	handler: RequestHandler;
	version: string;
	env: Readonly<Record<string, string | undefined>>;
	/** Runs before listen() so no client can connect before its socket.io handlers exist. */
	setup?: (server: HeatboardServer) => void | Promise<void>;
	proc?: ShutdownProcess;
	log?: (line: string) => void;
}

export interface StartedHeatboard {
	server: HeatboardServer;
	address: AddressInfo;
}

/** Everything the `server.ts` entry does, shared with the shutdown integration test so both run the same path. */
export async function startHeatboard(options: StartOptions): Promise<StartedHeatboard> {
	const log = options.log ?? ((line: string) => console.log(line));
	const { port, host } = parseListenConfig(options.env);
	const server = createHeatboardServer({ handler: options.handler, version: options.version, log });
	await options.setup?.(server);
	installGracefulShutdown(server, { log, ...(options.proc ? { proc: options.proc } : {}) });
	const address = await server.listen(port, host);
	log(`heatboard ${options.version} listening on http://${formatHost(address)}:${address.port}`);
	return { server, address };
}

function formatHost(address: AddressInfo): string {
	return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}
