/**
 * How agent states and heat tiers look: a colour AND a shape AND a word each, so nothing on the
 * board depends on telling red from green.
 */
import type { AgentStateName } from '../engine/events';

export interface Look {
	icon: string;
	word: string;
	/** CSS class carrying the colours (defined by the board's theme) */
	cls: string;
}

export const AGENT_LOOK: Readonly<Record<AgentStateName, Look>> = {
	available: { icon: '●', word: 'Available', cls: 'st-available' },
	busy: { icon: '■', word: 'On call', cls: 'st-busy' },
	'wrap-up': { icon: '◐', word: 'Wrap-up', cls: 'st-wrap' },
	away: { icon: '‖', word: 'Away', cls: 'st-away' },
	offline: { icon: '○', word: 'Offline', cls: 'st-offline' }
};

/** States in the order a supervisor reads them: who can take a call first. */
export const AGENT_STATE_ORDER: readonly AgentStateName[] = ['available', 'busy', 'wrap-up', 'away', 'offline'];

const TIER_LOOK: Readonly<Record<string, Look>> = {
	hot: { icon: '▲', word: 'HOT', cls: 'tier-hot' },
	warm: { icon: '◆', word: 'WARM', cls: 'tier-warm' },
	cold: { icon: '▽', word: 'COLD', cls: 'tier-cold' }
};

/** Tiers are a scenario setting; unknown ones get a neutral chip with their own name. */
export function tierLook(tier: string): Look {
	return TIER_LOOK[tier] ?? { icon: '●', word: tier.toUpperCase().slice(0, 8), cls: 'tier-other' };
}
