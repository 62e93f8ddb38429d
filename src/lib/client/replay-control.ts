import { io, type Socket } from 'socket.io-client';
import type { ControlMessage } from '../board/source';
import type { ClientToServer, ServerToClient } from '../protocol';

export interface ReplayControl {
	send(msg: ControlMessage): void;
	close(): void;
}

/**
 * A socket of the replay bar's own for control messages: the board's socket belongs to its
 * connection logic (subscribe, resync), and the server takes controls from any socket. It
 * subscribes to nothing, so it costs the server no room and no deltas. A refused control comes
 * back as a warning, passed on to `onRefused`.
 */
export function connectReplayControl(onRefused: (message: string) => void, url?: string): ReplayControl {
	const opts = { reconnection: true, reconnectionDelayMax: 10_000, timeout: 10_000 };
	const socket: Socket<ServerToClient, ClientToServer> = url === undefined ? io(opts) : io(url, opts);
	socket.on('warning', (w) => onRefused(w.message));
	return {
		// socket.io buffers what is sent before it connects
		send: (msg) => void socket.emit('control', msg),
		close: () => {
			socket.removeAllListeners();
			socket.disconnect();
		}
	};
}
