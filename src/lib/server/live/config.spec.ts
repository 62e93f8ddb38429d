import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AmiPeer } from '../../../../tests/support/ami-peer';
import { AmiAdapter } from '../adapters/ami';
import { EngineSink } from '../adapters/ami-engine-sink';
import { isLiveMode, parseLiveConfig } from './config';

const tlsFixture = (name: string) => readFileSync(new URL(`../../../../tests/fixtures/ami/tls/${name}`, import.meta.url), 'utf8');

const cwd = () => mkdtempSync(join(tmpdir(), 'hb-live-config-'));
const SECRET = 'k'.repeat(32);

describe('parseLiveConfig', () => {
	it('fills defaults: ./journal from the working directory, UTC, named "live"', () => {
		const d = cwd();
		expect(parseLiveConfig({ HEATBOARD_INGEST_SECRET: SECRET }, d)).toEqual({
			name: 'live',
			journalDir: join(d, 'journal'),
			tzOffsetMinutes: 0,
			queueLog: null,
			ami: null,
			ingestSecret: SECRET
		});
	});

	it('reads every setting', () => {
		const d = cwd();
		mkdirSync(join(d, 'asterisk'));
		const cfg = parseLiveConfig(
			{
				HEATBOARD_SOURCE: 'live',
				HEATBOARD_JOURNAL_DIR: '/var/lib/heatboard',
				HEATBOARD_TZ_OFFSET: '-300',
				HEATBOARD_LIVE_NAME: ' Asterisk HQ ',
				HEATBOARD_QUEUE_LOG: 'asterisk/queue_log',
				HEATBOARD_AMI: 'pbx1.example.net:5039',
				HEATBOARD_AMI_USER: 'heatboard',
				HEATBOARD_AMI_SECRET: 's3cret',
				HEATBOARD_INGEST_SECRET: SECRET
			},
			d
		);
		expect(cfg).toEqual({
			name: 'Asterisk HQ',
			journalDir: '/var/lib/heatboard',
			tzOffsetMinutes: -300,
			queueLog: join(d, 'asterisk/queue_log'),
			ami: { host: 'pbx1.example.net', port: 5039, user: 'heatboard', secret: 's3cret' },
			ingestSecret: SECRET
		});
	});

	it('takes AMI hosts as names, IPv4, [IPv6], with 5038 when the port is left out', () => {
		const ami = (v: string) => parseLiveConfig({ HEATBOARD_AMI: v, HEATBOARD_AMI_USER: 'u', HEATBOARD_AMI_SECRET: 's' }, cwd()).ami;
		expect(ami('10.0.0.5:5038')).toMatchObject({ host: '10.0.0.5', port: 5038 });
		expect(ami('[::1]:7000')).toMatchObject({ host: '::1', port: 7000 });
		expect(ami('pbx')).toMatchObject({ host: 'pbx', port: 5038 });
	});

	it('says everything that is wrong at once, and never echoes a secret', () => {
		const d = cwd();
		writeFileSync(join(d, 'afile'), '');
		let message = '';
		try {
			parseLiveConfig(
				{
					HEATBOARD_JOURNAL_DIR: 'afile',
					HEATBOARD_TZ_OFFSET: '+5h',
					HEATBOARD_LIVE_NAME: '***',
					HEATBOARD_QUEUE_LOG: 'no/such/dir/queue_log',
					HEATBOARD_AMI: 'pbx:99999',
					HEATBOARD_AMI_SECRET: 'hunter2-hunter2',
					HEATBOARD_INGEST_SECRET: 'short-secret'
				},
				d
			);
		} catch (err) {
			message = (err as Error).message;
		}
		expect(message.split('\n')).toEqual([
			'bad live configuration:',
			'  HEATBOARD_LIVE_NAME must be 1 to 64 characters with at least one letter or digit, got "***"',
			`  HEATBOARD_JOURNAL_DIR: file, not a directory: ${join(d, 'afile')}`,
			'  HEATBOARD_TZ_OFFSET must be whole minutes from -720 to 840 (e.g. -300 for UTC-5), got "+5h"',
			`  HEATBOARD_QUEUE_LOG: its directory is missing: ${join(d, 'no/such/dir/queue_log')}`,
			'  HEATBOARD_AMI must be host:port (port 1 to 65535, 5038 if left out, 5039 with TLS; [v6 address]:port), got "pbx:99999"',
			'  HEATBOARD_AMI_USER is needed with HEATBOARD_AMI (the manager.conf user)',
			'  HEATBOARD_INGEST_SECRET must be at least 16 characters (it signs requests), got 12'
		]);
		expect(message).not.toContain('hunter2');
		expect(message).not.toContain('short-secret');
	});

	it('AMI over TLS: HEATBOARD_AMI_TLS=1 (5039 when the port is left out), HEATBOARD_AMI_CA read from its file', () => {
		const d = cwd();
		const pem = tlsFixture('pbx-cert.pem');
		writeFileSync(join(d, 'pbx-ca.pem'), pem);
		const env = { HEATBOARD_AMI: 'pbx', HEATBOARD_AMI_USER: 'u', HEATBOARD_AMI_SECRET: 's' };
		expect(parseLiveConfig({ ...env, HEATBOARD_AMI_TLS: '1', HEATBOARD_AMI_CA: 'pbx-ca.pem' }, d).ami).toEqual({
			host: 'pbx',
			port: 5039,
			user: 'u',
			secret: 's',
			tls: { ca: pem }
		});
		expect(parseLiveConfig({ ...env, HEATBOARD_AMI: 'pbx:6000', HEATBOARD_AMI_TLS: 'yes' }, d).ami).toEqual({
			host: 'pbx',
			port: 6000,
			user: 'u',
			secret: 's',
			tls: {}
		});
		// off, or not said: plain TCP on 5038, no tls field
		expect(parseLiveConfig({ ...env, HEATBOARD_AMI_TLS: '0' }, d).ami).toEqual({ host: 'pbx', port: 5038, user: 'u', secret: 's' });
		expect(parseLiveConfig(env, d).ami).not.toHaveProperty('tls');
	});

	it('refuses a TLS setting it cannot use', () => {
		const d = cwd();
		writeFileSync(join(d, 'not-a-cert.pem'), 'hello');
		const env = { HEATBOARD_AMI: 'pbx', HEATBOARD_AMI_USER: 'u', HEATBOARD_AMI_SECRET: 's' };
		const problem = (extra: Record<string, string>) => {
			try {
				parseLiveConfig({ ...env, ...extra }, d);
				return '';
			} catch (err) {
				return (err as Error).message.split('\n').slice(1).join('\n');
			}
		};
		expect(problem({ HEATBOARD_AMI_TLS: 'maybe' })).toBe('  HEATBOARD_AMI_TLS must be 1 or 0 (true/false, yes/no, on/off), got "maybe"');
		expect(problem({ HEATBOARD_AMI_CA: 'not-a-cert.pem' })).toBe('  HEATBOARD_AMI_CA needs HEATBOARD_AMI_TLS=1');
		expect(problem({ HEATBOARD_AMI_TLS: '1', HEATBOARD_AMI_CA: 'not-a-cert.pem' })).toBe(
			`  HEATBOARD_AMI_CA: no PEM certificate (-----BEGIN CERTIFICATE-----) in ${join(d, 'not-a-cert.pem')}`
		);
		expect(problem({ HEATBOARD_AMI_TLS: '1', HEATBOARD_AMI_CA: 'nope.pem' })).toBe(
			`  HEATBOARD_AMI_CA: no such file: ${join(d, 'nope.pem')}`
		);
		expect(() => parseLiveConfig({ HEATBOARD_INGEST_SECRET: SECRET, HEATBOARD_AMI_TLS: '1' }, d)).toThrow(
			/HEATBOARD_AMI_TLS and HEATBOARD_AMI_CA are set but HEATBOARD_AMI \(host:port\) is not/
		);
	});

	it('never echoes a secret written into HEATBOARD_AMI as a URL', () => {
		let message = '';
		try {
			parseLiveConfig({ HEATBOARD_AMI: 'ami://heatboard:hunter2@pbx@x:5038', HEATBOARD_AMI_USER: 'u', HEATBOARD_AMI_SECRET: 's' }, cwd());
		} catch (err) {
			message = (err as Error).message;
		}
		expect(message).toContain('got "ami://***@x:5038" (the user and secret go in HEATBOARD_AMI_USER and HEATBOARD_AMI_SECRET)');
		expect(message).not.toContain('hunter2');
		expect(message).not.toContain('heatboard:');
	});

	it('the tls field is what the AMI adapter takes: it logs in to a PBX whose certificate HEATBOARD_AMI_CA names', async () => {
		const d = cwd();
		writeFileSync(join(d, 'ca.pem'), tlsFixture('pbx-cert.pem'));
		const peer = await AmiPeer.start({
			username: 'u',
			secret: 's',
			tls: { key: tlsFixture('pbx-key.pem'), cert: tlsFixture('pbx-cert.pem') }
		});
		const cfg = parseLiveConfig(
			{
				HEATBOARD_AMI: `127.0.0.1:${peer.port}`,
				HEATBOARD_AMI_USER: 'u',
				HEATBOARD_AMI_SECRET: 's',
				HEATBOARD_AMI_TLS: '1',
				HEATBOARD_AMI_CA: 'ca.pem'
			},
			d
		).ami;
		if (cfg === null) throw new Error('no AMI config');
		// as live-mode.ts builds it
		const a = new AmiAdapter({
			host: cfg.host,
			port: cfg.port,
			username: cfg.user,
			secret: cfg.secret,
			tls: cfg.tls,
			sink: new EngineSink(),
			pingIntervalMs: 0,
			log: () => {}
		});
		try {
			await a.start();
			expect(a.state).toBe('up');
			expect(peer.logins).toBe(1);
		} finally {
			await a.stop();
			await peer.close();
		}
	});

	it('needs a way in for events, and AMI credentials only with an AMI address', () => {
		expect(() => parseLiveConfig({}, cwd())).toThrow(
			/needs a way in for events: HEATBOARD_QUEUE_LOG, HEATBOARD_AMI or HEATBOARD_INGEST_SECRET/
		);
		expect(() => parseLiveConfig({ HEATBOARD_INGEST_SECRET: SECRET, HEATBOARD_AMI_USER: 'u' }, cwd())).toThrow(
			/HEATBOARD_AMI \(host:port\) is not/
		);
		expect(() => parseLiveConfig({ HEATBOARD_INGEST_SECRET: SECRET, HEATBOARD_TZ_OFFSET: '900' }, cwd())).toThrow(/TZ_OFFSET/);
		expect(parseLiveConfig({ HEATBOARD_INGEST_SECRET: SECRET, HEATBOARD_TZ_OFFSET: '+330' }, cwd()).tzOffsetMinutes).toBe(330);
	});

	it('live mode is HEATBOARD_SOURCE=live', () => {
		expect(isLiveMode({ HEATBOARD_SOURCE: 'live' })).toBe(true);
		expect(isLiveMode({ HEATBOARD_SOURCE: ' live ' })).toBe(true);
		expect(isLiveMode({})).toBe(false);
		expect(isLiveMode({ HEATBOARD_SOURCE: 'simulator' })).toBe(false);
	});
});
