import { isRecord, type MappedItem, type PayloadMapping } from './types';

/**
 * Engine events as they are (vocabulary v1): one event, an array of them, or `{ "events": [...] }`.
 * The sink validates each one against the schema.
 */
export const heatEventsMapping: PayloadMapping = {
	name: 'heat-events',
	accepts: new Set(['application/json']),
	items(body) {
		if (Array.isArray(body)) return body;
		if (isRecord(body)) {
			if (Array.isArray(body['events'])) return body['events'];
			if ('events' in body) return { error: '"events" must be an array' };
			return [body];
		}
		return { error: 'expected an event object, an array of events or {"events": [...]}' };
	},
	map(item): MappedItem {
		if (!isRecord(item)) return { kind: 'rejected', reason: 'invalid', detail: 'an event must be a JSON object' };
		return { kind: 'events', events: [item] };
	}
};
