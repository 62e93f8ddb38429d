import { parseArgs } from 'node:util';
import { erlangAMeasures, erlangCMeasures, requiredAgents, type QueueMeasures } from '../../src/lib/engine/analytics/erlang';
import { parseIntArg, parseNumArg, table, UsageError, type CliIo } from './io';

export const ERLANG_USAGE = `heatboard erlang --model c|a --arrivals-per-hour X --aht SECONDS (--agents N | --sl FRACTION) [--patience SECONDS] --target SECONDS [--json]`;

export async function erlangCommand(argv: string[], io: CliIo): Promise<number> {
	const { values } = parseArgs({
		args: argv,
		options: {
			model: { type: 'string', default: 'c' },
			'arrivals-per-hour': { type: 'string' },
			aht: { type: 'string' },
			agents: { type: 'string' },
			patience: { type: 'string' },
			target: { type: 'string', default: '20' },
			sl: { type: 'string' },
			json: { type: 'boolean', default: false }
		}
	});
	const model = values.model;
	if (model !== 'c' && model !== 'a') throw new UsageError(`--model: expected c or a, got "${model}"`);
	const arrivalsPerHour = parseNumArg('arrivals-per-hour', values['arrivals-per-hour'], 0);
	const ahtSeconds = parseNumArg('aht', values.aht, 0);
	const targetSeconds = parseNumArg('target', values.target, 0) as number;
	const patienceSeconds = parseNumArg('patience', values.patience, 0);
	if (arrivalsPerHour === undefined) throw new UsageError('--arrivals-per-hour is required');
	if (ahtSeconds === undefined || ahtSeconds <= 0) throw new UsageError('--aht is required (seconds, > 0)');
	if (model === 'a' && (patienceSeconds === undefined || patienceSeconds <= 0))
		throw new UsageError('--model a needs --patience SECONDS (> 0)');
	let agents = parseIntArg('agents', values.agents, 0);
	const sl = parseNumArg('sl', values.sl, 0);
	if (sl !== undefined && sl > 1) throw new UsageError(`--sl: expected a fraction in [0, 1], got "${values.sl}"`);
	if (agents === undefined && sl === undefined) throw new UsageError('give --agents N, or --sl FRACTION to solve for the agents needed');
	const base = { arrivalsPerHour, ahtSeconds, targetSeconds, ...(patienceSeconds !== undefined ? { patienceSeconds } : {}) };
	let m: QueueMeasures;
	if (agents === undefined) {
		const r = requiredAgents(model, base, { sl: sl as number, slSeconds: targetSeconds });
		agents = r.agents;
		m = r.measures;
	} else if (model === 'a') m = erlangAMeasures({ ...base, agents, patienceSeconds: patienceSeconds as number });
	else m = erlangCMeasures({ ...base, agents });
	// an unstable Erlang C queue has infinite waits, which JSON can only write as null: say so
	const result = { model, agents, stable: Number.isFinite(m.asaAnswered), ...m };
	if (values.json) io.out(JSON.stringify(result) + '\n');
	else
		io.out(
			table([
				['agents', String(agents)],
				['P(wait)', m.pWait.toFixed(4)],
				['P(abandon)', m.pAbandon.toFixed(4)],
				['ASA (answered), s', m.asaAnswered.toFixed(2)],
				['mean wait (all), s', m.meanWaitAll.toFixed(2)],
				[`SL ${targetSeconds}s (answered)`, m.slAnswered.toFixed(4)],
				[`SL ${targetSeconds}s (offered)`, m.slOffered.toFixed(4)],
				['occupancy', m.occupancy.toFixed(4)]
			]) + '\n'
		);
	return 0;
}
