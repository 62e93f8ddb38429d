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
	/** where the open quote is and the line it is on */
	let quoteAt = 0;
	let quoteLine = 1;
	const lineBreak = /\r\n?|\n/g;
	for (let i = 0; ; i++) {
		if (i >= src.length) {
			if (!quoted) break;
			// An unclosed quote would swallow the rest of the file: the record is dropped up to the end
			// of the line that quote opened on, and reading goes on from the next line. Not from the
			// record's second line: every quote after the open one comes in pairs (or it would have
			// closed), so from there on no quote can stay open, and each character is read at most
			// twice; going back to the record's second line could make every line such a record, each
			// read to the end of the file.
			problems.push({
				line: start,
				detail:
					quoteLine === start
						? 'a quoted field is not closed (the record is dropped)'
						: `a quoted field opened on line ${quoteLine} is not closed (lines ${start} to ${quoteLine} are dropped)`
			});
			quoted = false;
			fields = [];
			field = '';
			wasQuoted = false;
			broken = null;
			lineBreak.lastIndex = quoteAt;
			const nl = lineBreak.exec(src);
			if (nl === null) return { records, problems };
			i = nl.index + nl[0].length - 1;
			line = quoteLine + 1;
			start = line;
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
		} else if (ch === '"') {
			if (field === '' && !wasQuoted) {
				quoted = true;
				wasQuoted = true;
				quoteAt = i;
				quoteLine = line;
			} else broken ??= 'a quote inside an unquoted field, or text after a closing quote';
		} else {
			if (wasQuoted) broken ??= 'text after a closing quote';
			field += ch;
		}
	}
	if (field !== '' || fields.length > 0 || wasQuoted) endRecord();
	return { records, problems };
}
