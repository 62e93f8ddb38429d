/**
 * RFC 4180 CSV: fields separated by a delimiter, records by CRLF (or a bare LF or CR, as exports
 * from other systems have them), a field in double quotes may hold the delimiter, line breaks and
 * doubled quotes. A leading byte-order mark is dropped. Never throws: what cannot be read is reported
 * with the line it starts on, and reading goes on with the next record.
 */

export interface CsvRecord {
	fields: string[];
	/** the 1-based line the record starts on (a quoted line break makes a record span lines) */
	line: number;
}

export interface CsvProblem {
	line: number;
	detail: string;
}

export interface CsvReadResult {
	records: CsvRecord[];
	problems: CsvProblem[];
}

export function readCsv(text: string, delimiter = ','): CsvReadResult {
	if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')
		throw new Error(`delimiter: expected one character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
	const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const records: CsvRecord[] = [];
	const problems: CsvProblem[] = [];
	let fields: string[] = [];
	let field = '';
	let line = 1;
	let start = 1;
	let quoted = false;
	/** the field began with a quote (so text after its closing quote is a fault) */
	let wasQuoted = false;
	let broken: string | null = null;
	const endField = () => {
		fields.push(field);
		field = '';
		wasQuoted = false;
	};
	const endRecord = () => {
		endField();
		// a blank line is no record (RFC 4180 does not have them; exports end with one)
		if (broken !== null) problems.push({ line: start, detail: broken });
		else if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: start });
		fields = [];
		broken = null;
	};
	let recordAt = 0;
	for (let i = 0; ; i++) {
		if (i >= src.length) {
			if (!quoted) break;
			// an unclosed quote would swallow the rest of the file: drop that record's first line
			// only and read on from the next one
			problems.push({ line: start, detail: 'a quoted field is not closed (the record is dropped)' });
			const nl = src.slice(recordAt).search(/\r|\n/);
			quoted = false;
			fields = [];
			field = '';
			wasQuoted = false;
			broken = null;
			if (nl < 0) return { records, problems };
			i = recordAt + nl;
			if (src[i] === '\r' && src[i + 1] === '\n') i++;
			line = start + 1;
			start = line;
			recordAt = i + 1;
			continue;
		}
		const ch = src[i] as string;
		if (quoted) {
			if (ch === '"') {
				if (src[i + 1] === '"') {
					field += '"';
					i++;
				} else quoted = false;
			} else {
				if (ch === '\n' || (ch === '\r' && src[i + 1] !== '\n')) line++;
				field += ch;
			}
			continue;
		}
		if (ch === delimiter) endField();
		else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && src[i + 1] === '\n') i++;
			endRecord();
			line++;
			start = line;
			recordAt = i + 1;
		} else if (ch === '"') {
			if (field === '' && !wasQuoted) {
				quoted = true;
				wasQuoted = true;
			} else broken ??= 'a quote inside an unquoted field, or text after a closing quote';
		} else {
			if (wasQuoted) broken ??= 'text after a closing quote';
			field += ch;
		}
	}
	if (field !== '' || fields.length > 0 || wasQuoted) endRecord();
	return { records, problems };
}
