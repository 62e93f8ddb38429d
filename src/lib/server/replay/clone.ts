/**
 * A generic deep copy for replay checkpoints: the engine and the board history are class
 * instances with private fields, Maps, typed arrays, heaps whose items point back at their owners,
 * so neither `structuredClone` (drops prototypes) nor JSON will do.
 *
 * Kept: prototypes (and so methods and getters), own properties (symbol and non-enumerable keys
 * too, from their descriptors), non-extensible, sealed and frozen objects, Map and Set (keys cloned
 * too, and the own properties of a subclass instance), arrays (holes stay holes), typed arrays and
 * DataViews on one cloned ArrayBuffer when they shared one, Date, RegExp, boxed primitives, shared
 * references and cycles.
 *
 * For speed, two things are not kept: an accessor or read-only property defined on an extensible
 * instance with enumerable string key (classes put accessors on the prototype) is copied as its
 * current value, and the non-index properties of arrays and typed arrays are left out. Functions are copied by reference: a closure's captured state is shared
 * with the original (the engine's `random` stream, say), which is fine for what is cloned here
 * (an observe-mode engine never draws from it).
 *
 * Refused with a TypeError, since a copy could not be faithful: WeakMap, WeakSet, WeakRef,
 * Promise, and ES `#private` fields' owners (not detectable: avoid them in cloned state).
 *
 * Iterative, not recursive: a long linked structure must not overflow the stack.
 */
export function deepClone<T>(value: T): T {
	return new Cloner().clone(value);
}

type AnyObject = Record<PropertyKey, unknown>;
type TypedArray =
	| Int8Array
	| Uint8Array
	| Uint8ClampedArray
	| Int16Array
	| Uint16Array
	| Int32Array
	| Uint32Array
	| Float32Array
	| Float64Array
	| BigInt64Array
	| BigUint64Array;
type TypedArrayCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;

class Cloner {
	private readonly seen = new Map<object, object>();
	/** objects made but not yet filled: [source, copy] */
	private readonly pending: Array<[object, object]> = [];

	clone<T>(value: T): T {
		const out = this.copy(value);
		for (let job = this.pending.pop(); job !== undefined; job = this.pending.pop()) this.fill(job[0], job[1]);
		return out as T;
	}

	/** A primitive, a function, or the (memoised) copy of an object, to be filled later. */
	private copy(v: unknown): unknown {
		if (typeof v !== 'object' || v === null) return v;
		const done = this.seen.get(v);
		if (done !== undefined) return done;
		const out = this.shell(v);
		this.seen.set(v, out);
		this.pending.push([v, out]);
		return out;
	}

	private shell(v: object): object {
		const proto = Object.getPrototypeOf(v) as object | null;
		if (Array.isArray(v)) return withProto(new Array<unknown>(v.length), proto, Array.prototype);
		if (v instanceof Map) return withProto(new Map(), proto, Map.prototype);
		if (v instanceof Set) return withProto(new Set(), proto, Set.prototype);
		if (ArrayBuffer.isView(v)) {
			const buffer = this.copy(v.buffer) as ArrayBufferLike;
			if (v instanceof DataView) return withProto(new DataView(buffer, v.byteOffset, v.byteLength), proto, DataView.prototype);
			const ta = v as TypedArray;
			const ctor = ta.constructor as TypedArrayCtor;
			return new ctor(buffer, ta.byteOffset, ta.length);
		}
		if (v instanceof ArrayBuffer) return withProto(v.slice(0), proto, ArrayBuffer.prototype);
		if (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer) {
			const copy = new SharedArrayBuffer(v.byteLength);
			new Uint8Array(copy).set(new Uint8Array(v));
			return copy;
		}
		if (v instanceof Date) return withProto(new Date(v.getTime()), proto, Date.prototype);
		if (v instanceof RegExp) {
			const r = withProto(new RegExp(v.source, v.flags), proto, RegExp.prototype);
			r.lastIndex = v.lastIndex;
			return r;
		}
		if (v instanceof Number || v instanceof String || v instanceof Boolean)
			return withProto(Object(v.valueOf()) as object, proto, Object.getPrototypeOf(Object(v.valueOf())) as object);
		if (v instanceof WeakMap || v instanceof WeakSet || v instanceof Promise || (typeof WeakRef !== 'undefined' && v instanceof WeakRef))
			throw new TypeError(`deepClone: cannot copy a ${Object.prototype.toString.call(v)}`);
		return Object.create(proto) as object;
	}

	private fill(src: object, dst: object): void {
		if (Array.isArray(src)) {
			const d = dst as unknown[];
			const n = src.length;
			for (let i = 0; i < n; i++) if (i in src) d[i] = this.copy(src[i]);
		} else if (src instanceof Map) {
			const d = dst as Map<unknown, unknown>;
			for (const [k, v] of src) d.set(this.copy(k), this.copy(v));
			this.ownProperties(src, dst);
		} else if (src instanceof Set) {
			const d = dst as Set<unknown>;
			for (const v of src) d.add(this.copy(v));
			this.ownProperties(src, dst);
		} else if (ArrayBuffer.isView(src) || src instanceof ArrayBuffer) {
			// the contents came with the buffer
		} else {
			this.ownProperties(src, dst);
		}
		if (!Object.isExtensible(src)) {
			if (Object.isFrozen(src)) Object.freeze(dst);
			else if (Object.isSealed(src)) Object.seal(dst);
			else Object.preventExtensions(dst);
		}
	}

	/**
	 * Own properties. The common case (an extensible object whose own keys are all enumerable
	 * strings: class fields, object literals) is assigned key by key, which is twice as fast as
	 * going through descriptors; anything else (symbol or non-enumerable keys, a sealed or frozen
	 * object) is defined from its descriptors.
	 */
	private ownProperties(src: object, dst: object): void {
		const s = src as AnyObject;
		const d = dst as AnyObject;
		if (Object.isExtensible(src)) {
			const keys = Object.keys(src);
			if (keys.length === Object.getOwnPropertyNames(src).length && Object.getOwnPropertySymbols(src).length === 0) {
				for (let i = 0; i < keys.length; i++) {
					const k = keys[i] as string;
					d[k] = this.copy(s[k]);
				}
				return;
			}
		}
		for (const key of Reflect.ownKeys(src)) {
			const desc = Object.getOwnPropertyDescriptor(src, key) as PropertyDescriptor;
			if ('value' in desc) desc.value = this.copy(desc.value);
			Object.defineProperty(dst, key, desc);
		}
	}
}

function withProto<T extends object>(obj: T, proto: object | null, usual: object): T {
	if (proto !== usual) Object.setPrototypeOf(obj, proto);
	return obj;
}

function isIndex(key: string): boolean {
	const n = key.length;
	if (n === 0 || n > 10) return false;
	for (let i = 0; i < n; i++) {
		const c = key.charCodeAt(i);
		if (c < 48 || c > 57) return false;
	}
	return n === 1 || key.charCodeAt(0) !== 48;
}
