/**
 * A live source fed a call script at full tilt, for a parent test to kill with SIGKILL mid-stream:
 * `node --import tsx crash-child.ts <journalDir> <seed> <count> <startMs>`. Prints "ready" once the
 * first events are in, "done" if it ever gets to the end (it then idles until killed).
 */
import { TelephonySource } from '../telephony-source';
import { callScript } from './call-script';

const [dir = '', seed = '1', count = '1000', start = '0'] = process.argv.slice(2);
const script = callScript(Number(seed), Number(count), Number(start));
let now = Number(start);
const src = new TelephonySource({ name: 'PBX 1', journalDir: dir, now: () => now });
src.start();
let i = 0;

function burst(): void {
	for (let k = 0; k < 5 && i < script.length; k++, i++) {
		const s = script[i];
		if (s === undefined) break;
		now = s.at;
		const r = src.ingest(s.event, 'child:script');
		if (!r.ok) {
			process.stderr.write(`event ${i} refused: ${r.reason}: ${r.detail}\n`);
			process.exit(3);
		}
		if (i % 7 === 0) src.advance();
	}
	if (i === 50) process.stdout.write('ready\n');
	if (i < script.length) setTimeout(burst, 1);
	else {
		process.stdout.write('done\n');
		setInterval(() => {}, 1000);
	}
}
burst();
