/**
 * The studio's socket.io connection (namespace /studio): requests with acks become promises with a
 * time limit, server events go to StudioRuns. Reconnects like the board (it keeps trying), but the
 * studio's work on the server does not survive a dropped socket, so StudioRuns marks it lost.
 */
import { io, type Socket } from 'socket.io-client';
import {
	STUDIO_NAMESPACE,
	type Levers,
	type ScenarioBrief,
	type StudioClientToServer,
	type StudioServerToClient,
	type StudyInput,
	type ValidateResult
} from '../protocol';
import type { StudioRuns } from './runs.svelte';

export interface ShippedScenario {
	name: string;
	title: string;
	yaml: string;
}

export interface StudioLink {
	scenarios(): Promise<ShippedScenario[]>;
	fromNow(): Promise<{ yaml: string; note: string } | { error: string }>;
	validate(yaml: string, levers: Levers): Promise<ValidateResult>;
	run(runId: string, study: StudyInput): void;
	sweep(runId: string, study: StudyInput, range: { from: number; to: number; step: number }): void;
	plan(runId: string, study: StudyInput): void;
	cancel(runId: string): void;
	close(): void;
}

export type { ScenarioBrief };

const ACK_TIMEOUT_MS = 15_000;

export function connectStudio(runs: StudioRuns, url?: string): StudioLink {
	const opts = {
		reconnection: true,
		reconnectionAttempts: Infinity,
		reconnectionDelay: 1_000,
		reconnectionDelayMax: 10_000,
		randomizationFactor: 0.5,
		timeout: 10_000
	};
	const target = `${url ?? ''}${STUDIO_NAMESPACE}`;
	const socket: Socket<StudioServerToClient, StudioClientToServer> = io(target, opts);
	let retry: ReturnType<typeof setTimeout> | undefined;
	// As on the board: socket.io stops trying after a server-side disconnect; a manager's tab should not.
	const retryLater = () => {
		clearTimeout(retry);
		retry = setTimeout(() => {
			if (!socket.connected && !socket.active) socket.connect();
		}, opts.reconnectionDelayMax);
	};

	socket.on('connect', () => runs.onConnect());
	socket.on('disconnect', (reason) => {
		runs.onDisconnect();
		if (reason === 'io server disconnect') retryLater();
	});
	socket.on('connect_error', (err) => {
		runs.onConnectError(err.message);
		if (!socket.active) retryLater();
	});
	socket.io.on('reconnect_attempt', (attempt) => runs.onReconnectAttempt(attempt));
	socket.on('progress', (msg) => runs.onProgress(msg));
	socket.on('runResult', (msg) => runs.onRunResult(msg));
	socket.on('sweepResult', (msg) => runs.onSweepResult(msg));
	socket.on('planResult', (msg) => runs.onPlanResult(msg));
	socket.on('cancelled', (msg) => runs.onCancelled(msg));
	socket.on('studioError', (msg) => runs.onStudioError(msg));

	const acked = socket.timeout(ACK_TIMEOUT_MS);
	// socket.io would hold a request until the connection is back; a check must say at once that it cannot be made
	const online = <T>(ask: () => Promise<T>): Promise<T> =>
		socket.connected ? ask() : Promise.reject(new Error('not connected to the server'));
	return {
		scenarios: () => online(() => acked.emitWithAck('scenarios')),
		fromNow: () => online(() => acked.emitWithAck('fromNow')),
		validate: (yaml, levers) => online(() => acked.emitWithAck('validate', { yaml, levers })),
		run: (runId, study) => void socket.emit('run', { runId, study }),
		sweep: (runId, study, range) => void socket.emit('sweep', { runId, study, ...range }),
		plan: (runId, study) => void socket.emit('plan', { runId, study, simulate: true }),
		cancel: (runId) => void socket.emit('cancel', { runId }),
		close: () => {
			clearTimeout(retry);
			socket.removeAllListeners();
			socket.io.removeAllListeners();
			socket.disconnect();
		}
	};
}
