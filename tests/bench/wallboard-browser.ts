/**
 * The board in Debian's Chromium: what each update costs the page's main thread, and how much
 * JavaScript the page loads. First a window measured with CDP Performance.getMetrics alone (all the
 * page's work, updates or not, divided by the deltas received: the clocks ticking every second and
 * rendering count too), then a traced window, where each delta's own task gives its own figures.
 */
import { chromium, type Browser, type CDPSession } from '@playwright/test';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { sanity } from './harness';
import { messageTasks, TRACE_CATEGORIES, type MessageTask } from './wallboard-trace';
import { Samples, summarize, type Summary } from './wallboard-stats';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
/** a wallboard is a TV */
const VIEWPORT = { width: 1920, height: 1080 };

export interface BrowserOptions {
	url: string;
	/** build/client, where the build's precompressed files are */
	clientDir: string;
	/** deltas to let by before measuring (JIT warm-up, fonts, first layouts) */
	warmupDeltas: number;
	/** the window measured with Performance.getMetrics alone, then the one traced */
	plainMs: number;
	tracedMs: number;
}

export interface ScriptFile {
	/** path under the site root */
	path: string;
	bytes: number;
	gzipBytes: number;
	/** the build's precompressed .br, what a browser that accepts brotli is sent; null when none */
	brotliBytes: number | null;
}

/** Performance.getMetrics over a window, per delta received in it (ms), and how busy the main thread was. */
export interface PageWindow {
	seconds: number;
	deltas: number;
	scriptPerDelta: number;
	taskPerDelta: number;
	layoutPerDelta: number;
	stylePerDelta: number;
	/** TaskDuration ÷ wall time: the main thread's share spent on tasks, updates or not */
	busy: number;
}

export interface BoardCost {
	/** no tracing: the figures least disturbed by measuring */
	plain: PageWindow;
	/** traced, so each delta has its own figures */
	traced: PageWindow & { task: Summary; script: Summary; forcedLayout: Summary; sharedTasks: number };
	/** seqs of the deltas the page received, all consecutive after its one snapshot */
	seqs: { first: number; last: number };
	scripts: ScriptFile[];
	pageErrors: string[];
}

/** a delta's frame and its receipt in the trace are microseconds apart; the next message is 250 ms away */
const MATCH_US = 5_000;

function taskOf(tasks: readonly MessageTask[], ts: number): MessageTask | undefined {
	return tasks.find((k) => k.receipts.some((r) => Math.abs(r - ts) < MATCH_US));
}

interface Frame {
	/** CDP monotonic seconds */
	timestamp: number;
	event: string | null;
	seq: number | null;
}

/** `42["delta",{"v":1,"seq":17,...` → its event name and seq, without parsing the whole payload twice over */
function readFrame(payload: string): Pick<Frame, 'event' | 'seq'> {
	if (!payload.startsWith('42[')) return { event: null, seq: null };
	try {
		const parsed = JSON.parse(payload.slice(2)) as [string, { seq?: unknown }?];
		const seq = parsed[1]?.seq;
		return { event: parsed[0], seq: typeof seq === 'number' ? seq : null };
	} catch {
		return { event: null, seq: null };
	}
}

async function metrics(cdp: CDPSession): Promise<Map<string, number>> {
	const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
	return new Map(list.map((m) => [m.name, m.value]));
}

/** Runs `wait` between two readings of Performance.getMetrics; the deltas whose frames arrived in between. */
async function metricsWindow(
	cdp: CDPSession,
	frames: readonly Frame[],
	wait: () => Promise<void>
): Promise<{ window: PageWindow; frames: Frame[] }> {
	const before = await metrics(cdp);
	await wait();
	const after = await metrics(cdp);
	const t0 = before.get('Timestamp') ?? Number.NaN;
	const t1 = after.get('Timestamp') ?? Number.NaN;
	sanity(t1 > t0, 'Performance.getMetrics gave no Timestamp');
	const inside = frames.filter((f) => f.timestamp >= t0 && f.timestamp < t1);
	const others = inside.filter((f) => f.event !== null && f.event !== 'delta');
	sanity(others.length === 0, `the board got ${others.map((f) => f.event).join(', ')} while measured (expected deltas only)`);
	const deltas = inside.filter((f) => f.event === 'delta');
	sanity(deltas.length > 0, 'the board got no delta while measured');
	const used = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
	const per = (name: string) => (1000 * used(name)) / deltas.length;
	return {
		window: {
			seconds: t1 - t0,
			deltas: deltas.length,
			scriptPerDelta: per('ScriptDuration'),
			taskPerDelta: per('TaskDuration'),
			layoutPerDelta: per('LayoutDuration'),
			stylePerDelta: per('RecalcStyleDuration'),
			busy: used('TaskDuration') / (t1 - t0)
		},
		frames: deltas
	};
}

/**
 * Deltas with consecutive seqs and nothing else the board would act on, over the WebSocket (the
 * snapshot and the first deltas may come by long-polling, before socket.io upgrades the transport).
 */
function checkFrames(frames: readonly Frame[]): { first: number; last: number } {
	const board = frames.filter((f) => f.event !== null);
	const odd = board.filter((f, i) => f.event !== 'delta' && !(i === 0 && f.event === 'snapshot'));
	sanity(odd.length === 0, `the board got ${odd.map((f) => f.event).join(', ')} over the WebSocket (expected deltas only)`);
	const first = board[0]?.seq;
	sanity(first !== undefined && first !== null, 'the board got no message over the WebSocket');
	let prev = first;
	for (const f of board.slice(1)) {
		sanity(f.seq === prev + 1, `the board's messages skipped from seq ${prev} to ${f.seq}`);
		prev = f.seq;
	}
	return { first, last: prev };
}

export async function measureBoard(options: BrowserOptions): Promise<BoardCost> {
	let browser: Browser | undefined;
	try {
		browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
		const context = await browser.newContext({ viewport: VIEWPORT });
		const page = await context.newPage();
		const pageErrors: string[] = [];
		page.on('pageerror', (err) => pageErrors.push(err.message));
		page.on('console', (msg) => {
			if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
		});
		// the bodies as served, not build/ as it is later: another build may replace it meanwhile
		const scriptBodies: Array<Promise<{ url: string; body: Buffer }>> = [];
		page.on('response', (res) => {
			if (res.request().resourceType() === 'script') scriptBodies.push(res.body().then((body) => ({ url: res.url(), body })));
		});

		const cdp = await context.newCDPSession(page);
		const frames: Frame[] = [];
		cdp.on('Network.webSocketFrameReceived', (e: { timestamp: number; response: { payloadData: string } }) => {
			const payload = e.response.payloadData;
			frames.push({ timestamp: e.timestamp, ...readFrame(payload) });
		});
		await cdp.send('Network.enable');
		await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });

		await page.goto(options.url, { waitUntil: 'load' });
		const deadline = Date.now() + 30_000;
		while (frames.filter((f) => f.event === 'delta').length < options.warmupDeltas) {
			if (Date.now() > deadline)
				throw new Error(`the board got ${frames.length} WebSocket frames in 30 s, not ${options.warmupDeltas} deltas`);
			await page.waitForTimeout(100);
		}

		const plain = await metricsWindow(cdp, frames, () => page.waitForTimeout(options.plainMs));
		await browser.startTracing(page, { categories: TRACE_CATEGORIES });
		// the trace spans the whole window, so every delta in it has its task traced
		const traced = await metricsWindow(cdp, frames, () => page.waitForTimeout(options.tracedMs));
		const trace: unknown = JSON.parse((await browser.stopTracing()).toString('utf8'));
		const seqs = checkFrames(frames);

		// each delta frame has its task in the trace at the same moment (CDP in seconds, the trace in µs, one clock)
		const tasks = messageTasks(trace, new URL(options.url).origin);
		const task = new Samples();
		const script = new Samples();
		const forced = new Samples();
		let shared = 0;
		for (const d of traced.frames) {
			const match = taskOf(tasks, d.timestamp * 1e6);
			sanity(match !== undefined, `no main-thread task in the trace for the delta seq ${d.seq} received at ${d.timestamp.toFixed(6)} s`);
			// a task that handled two messages has no cost of one update to give
			if (match.receipts.length > 1) {
				shared++;
				continue;
			}
			task.push(match.taskMs);
			script.push(match.scriptMs);
			forced.push(match.forcedLayoutMs);
		}
		sanity(shared <= traced.frames.length / 10, `${shared} of ${traced.frames.length} deltas shared their task with another message`);

		const scripts = (await Promise.all(scriptBodies)).map((r) => scriptFile(r.url, r.body, options.clientDir));
		await browser.close();
		browser = undefined;
		return {
			plain: plain.window,
			traced: {
				...traced.window,
				task: summarize(task.values()),
				script: summarize(script.values()),
				forcedLayout: summarize(forced.values()),
				sharedTasks: shared
			},
			seqs,
			scripts,
			pageErrors
		};
	} finally {
		await browser?.close();
	}
}

/** A script the page loaded, gzipped at level 9 (as adapter-node precompresses), with the build's brotli size. */
function scriptFile(url: string, body: Buffer, clientDir: string): ScriptFile {
	const rel = decodeURIComponent(new URL(url).pathname);
	sanity(rel.startsWith('/_app/immutable/') && rel.endsWith('.js'), `the page loaded ${rel}, not a script of the build`);
	const br = path.join(clientDir, `${rel}.br`);
	return {
		path: rel,
		bytes: body.length,
		gzipBytes: gzipSync(body, { level: constants.Z_BEST_COMPRESSION }).length,
		brotliBytes: existsSync(br) ? statSync(br).size : null
	};
}
