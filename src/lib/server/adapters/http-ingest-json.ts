/**
 * Where JSON goes wrong. V8's JSON.parse messages name the offset for some errors and only quote a
 * snippet for others ("Unexpected token '}', ...", which a sender cannot find in a 1 MiB batch), so
 * after a failed parse this small scanner walks the text by the JSON grammar (RFC 8259) and
 * reports the offset of the first byte that cannot be part of a valid document.
 */

export interface JsonErrorLocation {
	position: number;
	line: number;
	column: number;
	/** what was expected there */
	expected: string;
}

class Stop extends Error {
	constructor(
		readonly position: number,
		readonly expected: string
	) {
		super(expected);
	}
}

/** null when the text is valid JSON. Iterative for arrays and objects, so deep nesting cannot overflow the stack. */
export function locateJsonError(text: string): JsonErrorLocation | null {
	let i = 0;
	const n = text.length;
	const ws = () => {
		while (i < n) {
			const c = text.charCodeAt(i);
			if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
			else break;
		}
	};
	const literal = (word: string) => {
		for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) throw new Stop(i + k, `"${word}"`);
		i += word.length;
	};
	const string = () => {
		i++; // opening quote
		while (i < n) {
			const c = text.charCodeAt(i);
			if (c === 0x22) return void i++;
			if (c < 0x20) throw new Stop(i, 'a character other than a control character in a string');
			if (c === 0x5c) {
				const e = text[i + 1];
				if (e === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i + 2, 'four hex digits after \\u');
					i += 6;
				} else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
				else throw new Stop(i + 1, 'an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u');
			} else i++;
		}
		throw new Stop(n, 'the end of the string (")');
	};
	const digits = () => {
		const s = i;
		while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
		if (i === s) throw new Stop(i, 'a digit');
	};
	const number = () => {
		if (text[i] === '-') i++;
		if (text[i] === '0') i++;
		else digits();
		if (text[i] === '.') {
			i++;
			digits();
		}
		if (text[i] === 'e' || text[i] === 'E') {
			i++;
			if (text[i] === '+' || text[i] === '-') i++;
			digits();
		}
	};
	/** containers open around the current position */
	const stack: Array<'array' | 'object'> = [];
	const value = (): void => {
		// a loop, not recursion: an opening bracket pushes its container and goes on to its first value
		for (;;) {
			ws();
			const c = text[i];
			if (c === '{' || c === '[') {
				i++;
				ws();
				if (text[i] === (c === '{' ? '}' : ']')) return void i++;
				stack.push(c === '{' ? 'object' : 'array');
				if (c === '{') key();
				continue;
			}
			if (c === '"') return string();
			if (c === 't') return literal('true');
			if (c === 'f') return literal('false');
			if (c === 'n') return literal('null');
			if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
			throw new Stop(i, 'a value');
		}
	};
	const key = () => {
		ws();
		if (text[i] !== '"') throw new Stop(i, 'a property name in double quotes');
		string();
		ws();
		if (text[i] !== ':') throw new Stop(i, '":"');
		i++;
	};
	try {
		value();
		for (;;) {
			ws();
			const top = stack.at(-1);
			if (top === undefined) break;
			const c = text[i];
			if (c === ',') {
				i++;
				if (top === 'object') key();
				value();
			} else if (c === (top === 'object' ? '}' : ']')) {
				i++;
				stack.pop();
			} else throw new Stop(i, top === 'object' ? '"," or "}"' : '"," or "]"');
		}
		if (i < n) throw new Stop(i, 'the end of the document');
		return null;
	} catch (err) {
		if (!(err instanceof Stop)) throw err;
		const before = text.slice(0, err.position);
		const line = before.split('\n').length;
		return { position: err.position, line, column: err.position - before.lastIndexOf('\n'), expected: err.expected };
	}
}
