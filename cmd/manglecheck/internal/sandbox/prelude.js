// The sandbox's environment, run before the bundle in a fresh runtime.
// It gets `host` (Go functions; never stored on the global object) and the
// environment's name, defines the globals a bundle's startup touches, and
// returns the functions the Go side calls. Everything here is inert: no
// network, no storage beyond this run, no clock but the virtual one.
(function (host, envName, bundleName) {
  "use strict";
  var G = globalThis;
  // Primordials, taken before the bundle can replace them.
  var call = Function.prototype.call;
  var bind = call.bind(Function.prototype.bind);
  var StringSlice = bind(call, String.prototype.slice);
  var StringIndexOf = bind(call, String.prototype.indexOf);
  var ObjToString = bind(call, Object.prototype.toString);
  var ArrayPush = bind(call, Array.prototype.push);
  var ArraySlice = bind(call, Array.prototype.slice);
  var ArrayIndexOf = bind(call, Array.prototype.indexOf);
  var ArraySplice = bind(call, Array.prototype.splice);
  var JSONStringify = JSON.stringify;
  var SymbolToString = bind(call, Symbol.prototype.toString);
  var WeakMapGet = bind(call, WeakMap.prototype.get);
  var WeakMapSet = bind(call, WeakMap.prototype.set);
  var WeakSetHas = bind(call, WeakSet.prototype.has);
  var WeakSetAdd = bind(call, WeakSet.prototype.add);
  var defineProperty = Object.defineProperty;
  var PromiseResolve = Promise.resolve.bind(Promise);
  var PromiseThen = bind(call, Promise.prototype.then);
  var StringCtor = String;
  var isArray = Array.isArray;

  // Single calls that would allocate without bound inside goja's built-ins,
  // where neither the interrupt nor the memory guard can stop them (a
  // built-in runs to completion): refused up front, with V8's messages.
  var maxBytes = host.maxBytes;
  var maxString = Math.min(536870888, maxBytes / 2);
  function withThis(self, args) {
    var a = [self];
    for (var i = 0; i < args.length; i++) a[i + 1] = args[i];
    return a;
  }
  function guard(obj, name, check) {
    var orig = obj[name];
    if (typeof orig !== "function") return;
    var wrapped = {
      [name]: function () {
        check(this, arguments);
        return call.apply(orig, withThis(this, arguments));
      },
    }[name];
    defineProperty(wrapped, "length", { value: orig.length });
    defineProperty(obj, name, { value: wrapped, writable: true, configurable: true, enumerable: false });
  }
  function lengthOf(s) { try { return StringCtor(s).length; } catch (_) { return 0; } }
  function stringLimit(n) { if (n > maxString) throw new RangeError("Invalid string length"); }
  // An array that would not fit in the memory limit stops the run as if
  // it had been allocated.
  function arrayLimit(n) { if (n * 16 > maxBytes) { host.outOfMemory(); throw new RangeError("Invalid array length"); } }
  guard(String.prototype, "repeat", function (s, a) { stringLimit(lengthOf(s) * (+a[0] || 0)); });
  guard(String.prototype, "padStart", function (s, a) { stringLimit(+a[0] || 0); });
  guard(String.prototype, "padEnd", function (s, a) { stringLimit(+a[0] || 0); });
  guard(Array.prototype, "join", function (o, a) {
    var n = 0;
    try { n = (o.length >>> 0) * (a[0] === undefined ? 1 : lengthOf(a[0])); } catch (_) {}
    stringLimit(n);
  });
  guard(Array.prototype, "fill", function (o) {
    var n = 0;
    try { n = o.length >>> 0; } catch (_) {}
    arrayLimit(n);
  });
  guard(Array, "from", function (_, a) {
    var n = 0, src = a[0];
    try { if (src !== null && typeof src === "object" && !isArray(src)) n = +src.length || 0; } catch (_) {}
    arrayLimit(n);
  });
  // goja's concat copies about two million elements a second and cannot
  // be interrupted while it does: a doubling loop would sit in one call
  // for seconds. Big concatenations of plain arrays are copied here, in
  // JavaScript, where the interrupt and the memory guard reach them.
  var ArrayConcat = Array.prototype.concat;
  var spreadable = Symbol.isConcatSpreadable;
  defineProperty(Array.prototype, "concat", {
    value: function concat(_) {
      var plain = isArray(this) && this.constructor === Array && this[spreadable] === undefined;
      var total = plain ? this.length : 0;
      for (var i = 0; plain && i < arguments.length; i++) {
        var x = arguments[i];
        if (isArray(x)) {
          plain = x.constructor === Array && x[spreadable] === undefined;
          total += x.length;
        } else if (x !== null && typeof x === "object" && x[spreadable] !== undefined) {
          plain = false;
        } else {
          total++;
        }
      }
      if (!plain || total < 65536) return call.apply(ArrayConcat, withThis(this, arguments));
      if (total * 16 > maxBytes) { host.outOfMemory(); return []; }
      var out = [], k = 0;
      var parts = withThis(this, arguments);
      for (var p = 0; p < parts.length; p++) {
        var part = parts[p];
        if (!isArray(part)) { out[k++] = part; continue; }
        for (var j = 0, n = part.length; j < n; j++, k++) if (j in part) out[k] = part[j];
      }
      out.length = k;
      return out;
    },
    writable: true, configurable: true, enumerable: false,
  });
  function guardCtor(name, bytesPer) {
    var C = G[name];
    if (typeof C !== "function") return;
    G[name] = new Proxy(C, {
      construct: function (t, args, nt) {
        if (typeof args[0] === "number" && args[0] * bytesPer > maxBytes) throw new RangeError("Array buffer allocation failed");
        return Reflect.construct(t, args, nt);
      },
    });
  }
  guardCtor("ArrayBuffer", 1);
  guardCtor("SharedArrayBuffer", 1);
  [["Int8Array", 1], ["Uint8Array", 1], ["Uint8ClampedArray", 1], ["Int16Array", 2], ["Uint16Array", 2], ["Int32Array", 4], ["Uint32Array", 4],
    ["Float32Array", 4], ["Float64Array", 8], ["BigInt64Array", 8], ["BigUint64Array", 8]].forEach(function (c) { guardCtor(c[0], c[1]); });

  function hidden(o, k, v) {
    defineProperty(o, k, { value: v, writable: true, configurable: true, enumerable: false });
  }

  // Errors the sandbox raises for what it does not provide (network,
  // modules, workers): the Go side reports them as limits of the sandbox,
  // not as bugs of the bundle.
  var limits = new WeakSet();
  function limitError(Ctor, msg) {
    var e = new Ctor(msg);
    WeakSetAdd(limits, e);
    return e;
  }

  // describe turns a thrown value into [message, stack, isLimit] without
  // letting the value's own code break the host: every read may throw.
  function describe(e) {
    var msg = "", stack = "", limit = false;
    try {
      if (e !== null && (typeof e === "object" || typeof e === "function")) {
        var name = "", m = "";
        try { limit = WeakSetHas(limits, e); } catch (_) {}
        try { name = e.name; } catch (_) {}
        try { m = e.message; } catch (_) {}
        try { stack = e.stack; } catch (_) {}
        if (typeof name !== "string") name = "";
        if (typeof m !== "string") m = "";
        // The host keeps 1,000 characters of a message and the frames of
        // a stack: a message of megabytes is cut here, not copied whole
        // into the message and the stack under describe's short budget.
        if (name.length > 4096) name = StringSlice(name, 0, 4096);
        if (m.length > 4096) m = StringSlice(m, 0, 4096);
        if (typeof stack === "string" && stack.length > 65536) {
          var at = StringIndexOf(stack, "\n\tat ");
          stack = at >= 0 ? StringSlice(stack, at) : "";
        }
        if (name !== "" || m !== "") {
          msg = name !== "" ? (m !== "" ? name + ": " + m : name) : m;
        } else {
          var tag = "object";
          try { tag = ObjToString(e); } catch (_) {}
          msg = "uncaught value " + tag;
        }
      } else if (typeof e === "symbol") {
        msg = "uncaught value " + SymbolToString(e);
      } else if (typeof e === "string") {
        msg = "uncaught value " + JSONStringify(e);
      } else {
        msg = "uncaught value " + StringCtor(e);
      }
    } catch (_) {
      msg = "uncaught exception (its message could not be read)";
    }
    if (typeof stack !== "string") stack = "";
    return [msg, stack, limit];
  }

  function report(e, phase) {
    var d = describe(e);
    host.uncaught(d[0], d[1], d[2], phase);
  }

  // --- console: formatted here, under the run's limits, then handed over.
  function fmt(v, depth) {
    try {
      switch (typeof v) {
        case "string": return v;
        case "undefined": return "undefined";
        case "symbol": return SymbolToString(v);
        case "function": return "[Function]";
        case "object":
          if (v === null) return "null";
          if (v instanceof Error) return describe(v)[0];
          if (depth > 1) return ObjToString(v);
          var s = JSONStringify(v);
          return typeof s === "string" ? StringSlice(s, 0, 2000) : ObjToString(v);
        default: return StringCtor(v);
      }
    } catch (_) {
      return "[unprintable]";
    }
  }
  function logger(level) {
    return function () {
      var parts = [];
      for (var i = 0; i < arguments.length && i < 20; i++) ArrayPush(parts, fmt(arguments[i], 0));
      host.log(level, parts.join(" "));
    };
  }
  var con = {};
  ["log", "info", "warn", "error", "debug", "trace", "dir", "table"].forEach(function (l) { con[l] = logger(l); });
  var noop = function () {};
  ["group", "groupCollapsed", "groupEnd", "time", "timeEnd", "timeLog", "count", "countReset", "profile", "profileEnd", "clear"].forEach(function (l) { con[l] = noop; });
  con.assert = function (c) {
    if (!c) logger("error").apply(null, ["Assertion failed:"].concat(ArraySlice(arguments, 1)));
  };
  G.console = con;

  // --- timers, driven by the Go side's virtual clock.
  var node = envName === "node";
  function Timeout(id) { hidden(this, "_id", id); }
  Timeout.prototype.ref = function () { host.ref(this._id, true); return this; };
  Timeout.prototype.unref = function () { host.ref(this._id, false); return this; };
  Timeout.prototype.hasRef = function () { return true; };
  Timeout.prototype.refresh = function () { return this; };
  Timeout.prototype[Symbol.toPrimitive] = function () { return this._id; };
  function timerID(t) { return t instanceof Timeout ? t._id : t; }
  function timer(kind, repeat) {
    return function (fn, ms) {
      var id = host.timer(fn, +ms || 0, repeat, ArraySlice(arguments, 2), kind);
      return node ? new Timeout(id) : id;
    };
  }
  G.setTimeout = timer(0, false);
  G.setInterval = timer(0, true);
  G.clearTimeout = G.clearInterval = function (t) { host.clear(timerID(t)); };
  G.queueMicrotask = function (fn) {
    if (typeof fn !== "function") throw new TypeError("queueMicrotask: argument is not a function");
    PromiseThen(PromiseResolve(), function () {
      try { fn(); } catch (e) { report(e, "microtask"); }
    });
  };
  var perf = {
    now: function () { return host.now(); },
    timeOrigin: 1704067200000,
    mark: noop, measure: noop, clearMarks: noop, clearMeasures: noop,
    getEntries: function () { return []; },
    getEntriesByName: function () { return []; },
    getEntriesByType: function () { return []; },
  };
  G.performance = perf;

  // --- small standard library pieces goja lacks.
  G.atob = function (s) { return host.atob(StringCtor(s)); };
  G.btoa = function (s) { return host.btoa(StringCtor(s)); };

  function TextEncoder() {}
  TextEncoder.prototype.encoding = "utf-8";
  TextEncoder.prototype.encode = function (s) {
    s = s === undefined ? "" : StringCtor(s);
    var out = [];
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
      }
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return new Uint8Array(out);
  };
  function TextDecoder(label) { this.encoding = "utf-8"; }
  TextDecoder.prototype.decode = function (buf) {
    if (buf === undefined) return "";
    var b = buf instanceof ArrayBuffer ? new Uint8Array(buf) : new Uint8Array(buf.buffer || buf, buf.byteOffset || 0, buf.byteLength);
    var s = "";
    for (var i = 0; i < b.length;) {
      var c = b[i++];
      if (c >= 0xf0 && i + 2 < b.length + 0) { c = ((c & 7) << 18) | ((b[i++] & 63) << 12) | ((b[i++] & 63) << 6) | (b[i++] & 63); }
      else if (c >= 0xe0) { c = ((c & 15) << 12) | ((b[i++] & 63) << 6) | (b[i++] & 63); }
      else if (c >= 0xc0) { c = ((c & 31) << 6) | (b[i++] & 63); }
      s += String.fromCodePoint(c);
    }
    return s;
  };
  G.TextEncoder = TextEncoder;
  G.TextDecoder = TextDecoder;

  // URL and URLSearchParams: enough for startup code that reads the
  // page's address or builds query strings.
  function URLSearchParams(init) {
    hidden(this, "_p", []);
    if (typeof init === "string") {
      if (init[0] === "?") init = init.slice(1);
      var self = this;
      init.split("&").forEach(function (kv) {
        if (kv === "") return;
        var i = kv.indexOf("=");
        var k = i < 0 ? kv : kv.slice(0, i), v = i < 0 ? "" : kv.slice(i + 1);
        self._p.push([dec(k), dec(v)]);
      });
    } else if (init && typeof init === "object") {
      var pairs = isArray(init) ? init : Object.keys(init).map(function (k) { return [k, init[k]]; });
      for (var j = 0; j < pairs.length; j++) this._p.push([StringCtor(pairs[j][0]), StringCtor(pairs[j][1])]);
    }
  }
  function dec(s) { try { return decodeURIComponent(s.replace(/\+/g, " ")); } catch (_) { return s; } }
  var USP = URLSearchParams.prototype;
  USP.get = function (k) { for (var i = 0; i < this._p.length; i++) if (this._p[i][0] === k) return this._p[i][1]; return null; };
  USP.getAll = function (k) { return this._p.filter(function (p) { return p[0] === k; }).map(function (p) { return p[1]; }); };
  USP.has = function (k) { return this.get(k) !== null; };
  USP.set = function (k, v) { this.delete(k); this._p.push([StringCtor(k), StringCtor(v)]); };
  USP.append = function (k, v) { this._p.push([StringCtor(k), StringCtor(v)]); };
  USP.delete = function (k) { this._p = this._p.filter(function (p) { return p[0] !== k; }); };
  USP.forEach = function (fn, t) { var s = this; this._p.forEach(function (p) { fn.call(t, p[1], p[0], s); }); };
  USP.keys = function () { return this._p.map(function (p) { return p[0]; })[Symbol.iterator](); };
  USP.values = function () { return this._p.map(function (p) { return p[1]; })[Symbol.iterator](); };
  USP.entries = function () { return this._p.map(function (p) { return [p[0], p[1]]; })[Symbol.iterator](); };
  USP[Symbol.iterator] = USP.entries;
  USP.toString = function () { return this._p.map(function (p) { return encodeURIComponent(p[0]) + "=" + encodeURIComponent(p[1]); }).join("&"); };
  defineProperty(USP, "size", { get: function () { return this._p.length; }, configurable: true });

  var urlRE = /^([a-zA-Z][a-zA-Z0-9+.-]*:)(?:\/\/([^\/?#]*))?([^?#]*)(\?[^#]*)?(#.*)?$/;
  function URL(url, base) {
    url = StringCtor(url);
    var m = urlRE.exec(url);
    if (!m) {
      if (base === undefined) throw new TypeError("Invalid URL: " + url);
      var b = new URL(base);
      if (url[0] === "/" && url[1] === "/") m = urlRE.exec(b.protocol + url);
      else if (url[0] === "/") m = urlRE.exec(b.origin + url);
      else if (url[0] === "?") m = urlRE.exec(b.origin + b.pathname + url);
      else if (url[0] === "#") m = urlRE.exec(b.origin + b.pathname + b.search + url);
      else m = urlRE.exec(b.origin + b.pathname.replace(/[^\/]*$/, "") + url);
      if (!m) throw new TypeError("Invalid URL: " + url);
    }
    var host = m[2] || "", port = "";
    var at = host.lastIndexOf("@");
    if (at >= 0) host = host.slice(at + 1);
    var colon = host.lastIndexOf(":");
    if (colon >= 0 && host.indexOf("]") < colon) { port = host.slice(colon + 1); host = host.slice(0, colon); }
    this.protocol = m[1].toLowerCase();
    this.hostname = host.toLowerCase();
    this.port = port;
    this.host = port ? this.hostname + ":" + port : this.hostname;
    this.pathname = m[3] || (m[2] !== undefined ? "/" : "");
    this.search = m[4] && m[4] !== "?" ? m[4] : "";
    this.hash = m[5] && m[5] !== "#" ? m[5] : "";
    this.username = "";
    this.password = "";
    this.origin = m[2] !== undefined ? this.protocol + "//" + this.host : "null";
    this.searchParams = new URLSearchParams(this.search);
  }
  defineProperty(URL.prototype, "href", {
    get: function () { return (this.origin !== "null" ? this.origin : this.protocol) + this.pathname + this.search + this.hash; },
    configurable: true,
  });
  URL.prototype.toString = URL.prototype.toJSON = function () { return this.href; };
  URL.createObjectURL = function () { return "blob:http://localhost/0"; };
  URL.revokeObjectURL = noop;
  G.URL = URL;
  G.URLSearchParams = URLSearchParams;

  function AbortSignal() { this.aborted = false; this.reason = undefined; this.onabort = null; }
  function AbortController() { this.signal = new AbortSignal(); }
  AbortController.prototype.abort = function (r) { this.signal.aborted = true; this.signal.reason = r; };
  G.AbortController = AbortController;
  G.AbortSignal = AbortSignal;

  var cryptoObj = {
    getRandomValues: function (a) {
      for (var i = 0; i < a.length; i++) a[i] = Math.floor(Math.random() * 4294967296);
      return a;
    },
    randomUUID: function () {
      var h = "";
      for (var i = 0; i < 32; i++) h += Math.floor(Math.random() * 16).toString(16);
      return h.slice(0, 8) + "-" + h.slice(8, 12) + "-4" + h.slice(13, 16) + "-a" + h.slice(17, 20) + "-" + h.slice(20);
    },
  };
  G.crypto = cryptoObj;

  // --- network: every way out fails with a clear error.
  function netError(what) {
    host.note("network", what);
    return limitError(TypeError, "network disabled in the manglecheck sandbox: " + what);
  }
  function urlOf(u) {
    try { return typeof u === "string" ? u : u && typeof u.url === "string" ? u.url : StringCtor(u); } catch (_) { return "?"; }
  }
  G.fetch = function (u) {
    return Promise.reject(netError("fetch(" + JSONStringify(StringSlice(urlOf(u), 0, 200)) + ")"));
  };

  var result = {
    describe: describe,
    startup: noop,
  };

  if (node) {
    // --- Node.js: module, exports, require for the bundle's own files,
    // process with an empty environment, no fs.
    var mod = { exports: {}, id: ".", filename: "/sandbox/" + bundleName, loaded: false, children: [], paths: [] };
    var emitter = function (o) {
      var ls = {};
      o.on = o.addListener = o.once = o.prependListener = function (t, f) { (ls[t] = ls[t] || []).push(f); return o; };
      o.off = o.removeListener = function (t, f) { if (ls[t]) ls[t] = ls[t].filter(function (g) { return g !== f; }); return o; };
      o.removeAllListeners = function (t) { if (t === undefined) ls = {}; else delete ls[t]; return o; };
      o.emit = function (t) { var a = ArraySlice(arguments, 1), l = ls[t] || []; l.forEach(function (f) { f.apply(o, a); }); return l.length > 0; };
      o.listeners = function (t) { return (ls[t] || []).slice(); };
      o.listenerCount = function (t) { return (ls[t] || []).length; };
      o.setMaxListeners = function () { return o; };
      return o;
    };
    var stream = function (level) {
      return { write: function (s) { host.log(level, fmt(s, 0)); return true; }, isTTY: false, columns: 80, rows: 24, fd: level === "error" ? 2 : 1, on: function () { return this; }, once: function () { return this; }, end: noop };
    };
    var proc = emitter({
      env: {},
      argv: ["/usr/local/bin/node", "/sandbox/" + bundleName],
      argv0: "node",
      execArgv: [],
      execPath: "/usr/local/bin/node",
      exitCode: undefined,
      platform: "linux",
      arch: "x64",
      pid: 1,
      ppid: 0,
      title: "node",
      version: "v22.0.0",
      versions: { node: "22.0.0" },
      release: { name: "node" },
      features: {},
      config: { variables: {} },
      cwd: function () { return "/sandbox"; },
      chdir: function () { throw limitError(Error, "process.chdir is not available in the sandbox"); },
      exit: function (code) { host.exit(code === undefined ? (proc.exitCode | 0) : code | 0); },
      abort: function () { host.exit(134); },
      kill: function () { throw limitError(Error, "process.kill is not available in the sandbox"); },
      nextTick: function (fn) {
        var args = ArraySlice(arguments, 1);
        PromiseThen(PromiseResolve(), function () {
          try { fn.apply(undefined, args); } catch (e) { report(e, "process.nextTick callback"); }
        });
      },
      hrtime: function (prev) {
        var ms = host.now(), s = Math.floor(ms / 1000), ns = Math.floor((ms % 1000) * 1e6);
        if (prev) { s -= prev[0]; ns -= prev[1]; if (ns < 0) { s--; ns += 1e9; } }
        return [s, ns];
      },
      memoryUsage: function () { return { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }; },
      cpuUsage: function () { return { user: 0, system: 0 }; },
      uptime: function () { return host.now() / 1000; },
      umask: function () { return 18; },
      emitWarning: function (w) { host.log("warn", fmt(w, 0)); },
      stdout: stream("log"),
      stderr: stream("error"),
      stdin: { isTTY: false, on: function () { return this; }, once: function () { return this; }, resume: noop, pause: noop, setEncoding: noop },
    });
    proc.hrtime.bigint = function () { return BigInt(Math.floor(host.now() * 1e6)); };
    G.process = proc;
    G.global = G;
    G.module = mod;
    G.exports = mod.exports;
    var req = function (spec) { return host.require(StringCtor(spec), bundleName); };
    req.resolve = function (spec) { throw limitError(Error, "module " + JSONStringify(StringCtor(spec)) + " is not available in the sandbox"); };
    req.cache = {};
    req.main = mod;
    G.require = req;
    G.__filename = "/sandbox/" + bundleName;
    G.__dirname = "/sandbox";
    G.setImmediate = function (fn) { return new Timeout(host.timer(fn, 0, false, ArraySlice(arguments, 1), 2)); };
    G.clearImmediate = function (t) { host.clear(timerID(t)); };
    result.limitError = function (msg) { return limitError(Error, msg); };
    return result;
  }

  // --- browser: window, document and the rest, all inert.
  var listeners = new WeakMap();
  function EventTarget() {}
  EventTarget.prototype.addEventListener = function (type, fn) {
    if (fn === null || fn === undefined) return;
    var m = WeakMapGet(listeners, this);
    if (!m) { m = {}; WeakMapSet(listeners, this, m); }
    type = StringCtor(type);
    var l = m[type] || (m[type] = []);
    if (ArrayIndexOf(l, fn) < 0) ArrayPush(l, fn);
  };
  EventTarget.prototype.removeEventListener = function (type, fn) {
    var m = WeakMapGet(listeners, this), l = m && m[StringCtor(type)];
    var i = l ? ArrayIndexOf(l, fn) : -1;
    if (i >= 0) ArraySplice(l, i, 1);
  };
  EventTarget.prototype.dispatchEvent = function (ev) {
    var type = ev.type;
    defineProperty(ev, "target", { value: ev.target || this, configurable: true, writable: true });
    var path = [];
    for (var t = this; t; t = t.parentNode || (t === G.document ? null : null)) ArrayPush(path, t);
    if (ev.bubbles && this !== G && path[path.length - 1] === G.document) ArrayPush(path, G);
    for (var p = 0; p < path.length && !ev._stop; p++) {
      var cur = path[p];
      ev.currentTarget = cur;
      var m = WeakMapGet(listeners, cur), l = m && m[type] ? ArraySlice(m[type]) : [];
      var on = cur["on" + type];
      if (typeof on === "function") ArrayPush(l, on);
      for (var i = 0; i < l.length && !ev._stopNow; i++) {
        try {
          if (typeof l[i] === "function") call.call(l[i], cur, ev);
          else if (l[i] && typeof l[i].handleEvent === "function") l[i].handleEvent(ev);
        } catch (e) {
          report(e, type + " listener");
        }
      }
      if (!ev.bubbles) break;
    }
    return !ev.defaultPrevented;
  };
  G.EventTarget = EventTarget;

  function Event(type, init) {
    init = init || {};
    this.type = StringCtor(type);
    this.bubbles = !!init.bubbles;
    this.cancelable = !!init.cancelable;
    this.composed = !!init.composed;
    this.defaultPrevented = false;
    this.timeStamp = host.now();
    this.target = null;
    this.currentTarget = null;
    hidden(this, "_stop", false);
    hidden(this, "_stopNow", false);
  }
  Event.prototype.preventDefault = function () { if (this.cancelable) this.defaultPrevented = true; };
  Event.prototype.stopPropagation = function () { this._stop = true; };
  Event.prototype.stopImmediatePropagation = function () { this._stop = this._stopNow = true; };
  Event.prototype.composedPath = function () { return []; };
  function CustomEvent(type, init) { Event.call(this, type, init); this.detail = init && init.detail !== undefined ? init.detail : null; }
  CustomEvent.prototype = Object.create(Event.prototype, { constructor: { value: CustomEvent, writable: true, configurable: true } });
  G.Event = Event;
  G.CustomEvent = CustomEvent;
  ["UIEvent", "MouseEvent", "KeyboardEvent", "FocusEvent", "InputEvent", "PointerEvent", "ErrorEvent", "MessageEvent", "PopStateEvent", "HashChangeEvent", "ProgressEvent"].forEach(function (n) {
    var C = function (type, init) { Event.call(this, type, init); if (init) for (var k in init) if (!(k in this)) this[k] = init[k]; };
    C.prototype = Object.create(Event.prototype, { constructor: { value: C, writable: true, configurable: true } });
    defineProperty(C, "name", { value: n });
    G[n] = C;
  });

  // Storage: in memory, for this run only.
  function Storage() { hidden(this, "_m", new Map()); }
  Storage.prototype.getItem = function (k) { k = StringCtor(k); return this._m.has(k) ? this._m.get(k) : null; };
  Storage.prototype.setItem = function (k, v) { this._m.set(StringCtor(k), StringCtor(v)); };
  Storage.prototype.removeItem = function (k) { this._m.delete(StringCtor(k)); };
  Storage.prototype.clear = function () { this._m.clear(); };
  Storage.prototype.key = function (i) { return Array.from(this._m.keys())[i] || null; };
  defineProperty(Storage.prototype, "length", { get: function () { return this._m.size; }, configurable: true });
  G.Storage = Storage;
  G.localStorage = new Storage();
  G.sessionStorage = new Storage();

  // The DOM: nodes that accept everything startup code does to them and
  // render nothing.
  function Node() { EventTarget.call(this); this.parentNode = null; this.childNodes = []; }
  Node.prototype = Object.create(EventTarget.prototype, { constructor: { value: Node, writable: true, configurable: true } });
  Node.ELEMENT_NODE = 1; Node.TEXT_NODE = 3; Node.COMMENT_NODE = 8; Node.DOCUMENT_NODE = 9; Node.DOCUMENT_FRAGMENT_NODE = 11;
  var NP = Node.prototype;
  defineProperty(NP, "firstChild", { get: function () { return this.childNodes[0] || null; }, configurable: true });
  defineProperty(NP, "lastChild", { get: function () { return this.childNodes[this.childNodes.length - 1] || null; }, configurable: true });
  defineProperty(NP, "parentElement", { get: function () { return this.parentNode instanceof Element ? this.parentNode : null; }, configurable: true });
  defineProperty(NP, "nextSibling", { get: function () { var p = this.parentNode; return p ? p.childNodes[ArrayIndexOf(p.childNodes, this) + 1] || null : null; }, configurable: true });
  defineProperty(NP, "previousSibling", { get: function () { var p = this.parentNode; return p ? p.childNodes[ArrayIndexOf(p.childNodes, this) - 1] || null : null; }, configurable: true });
  defineProperty(NP, "isConnected", { get: function () { for (var n = this; n; n = n.parentNode) if (n === G.document) return true; return false; }, configurable: true });
  defineProperty(NP, "ownerDocument", { get: function () { return G.document; }, configurable: true });
  function connected(n) {
    if (!n.isConnected) return;
    if (typeof n.connectedCallback === "function") n.connectedCallback();
    var kids = ArraySlice(n.childNodes);
    for (var i = 0; i < kids.length; i++) connected(kids[i]);
  }
  NP.appendChild = function (c) {
    if (c instanceof DocumentFragment) { var kids = ArraySlice(c.childNodes); for (var i = 0; i < kids.length; i++) this.appendChild(kids[i]); return c; }
    if (c && c.parentNode) c.parentNode.removeChild(c);
    ArrayPush(this.childNodes, c);
    if (c && typeof c === "object") { c.parentNode = this; connected(c); }
    return c;
  };
  NP.insertBefore = function (c, ref) {
    var i = ref ? ArrayIndexOf(this.childNodes, ref) : -1;
    if (i < 0) return this.appendChild(c);
    if (c && c.parentNode) c.parentNode.removeChild(c);
    ArraySplice(this.childNodes, i, 0, c);
    if (c && typeof c === "object") { c.parentNode = this; connected(c); }
    return c;
  };
  NP.removeChild = function (c) {
    var i = ArrayIndexOf(this.childNodes, c);
    if (i >= 0) ArraySplice(this.childNodes, i, 1);
    if (c && typeof c === "object") c.parentNode = null;
    return c;
  };
  NP.replaceChild = function (n, old) { this.insertBefore(n, old); return this.removeChild(old); };
  NP.contains = function (n) { for (; n; n = n.parentNode) if (n === this) return true; return false; };
  NP.hasChildNodes = function () { return this.childNodes.length > 0; };
  NP.cloneNode = function () { var c = Object.create(Object.getPrototypeOf(this)); Node.call(c); c.nodeType = this.nodeType; c.nodeName = this.nodeName; if (this.tagName) initElement(c, this.tagName); return c; };
  NP.getRootNode = function () { var n = this; while (n.parentNode) n = n.parentNode; return n; };
  NP.normalize = noop;
  G.Node = Node;

  function Text(data) { Node.call(this); this.nodeType = 3; this.nodeName = "#text"; this.data = this.textContent = this.nodeValue = data === undefined ? "" : StringCtor(data); }
  Text.prototype = Object.create(NP, { constructor: { value: Text, writable: true, configurable: true } });
  function Comment(data) { Node.call(this); this.nodeType = 8; this.nodeName = "#comment"; this.data = this.textContent = data === undefined ? "" : StringCtor(data); }
  Comment.prototype = Object.create(NP, { constructor: { value: Comment, writable: true, configurable: true } });
  G.Text = Text;
  G.Comment = Comment;
  G.CharacterData = Text;

  function tokenList(el) {
    var get = function () { return (el.getAttribute("class") || "").split(/\s+/).filter(Boolean); };
    var set = function (l) { el.setAttribute("class", l.join(" ")); };
    return {
      add: function () { var l = get(); for (var i = 0; i < arguments.length; i++) if (l.indexOf(arguments[i]) < 0) l.push(StringCtor(arguments[i])); set(l); },
      remove: function () { var a = ArraySlice(arguments); set(get().filter(function (c) { return a.indexOf(c) < 0; })); },
      contains: function (c) { return get().indexOf(c) >= 0; },
      toggle: function (c, force) { var has = this.contains(c); if (force === undefined ? has : !force) { this.remove(c); return false; } this.add(c); return true; },
      replace: function (a, b) { if (!this.contains(a)) return false; this.remove(a); this.add(b); return true; },
      item: function (i) { return get()[i] || null; },
      forEach: function (f, t) { get().forEach(f, t); },
      get length() { return get().length; },
      get value() { return el.getAttribute("class") || ""; },
      toString: function () { return el.getAttribute("class") || ""; },
    };
  }
  function styleObject() {
    var s = {};
    hidden(s, "setProperty", function (k, v) { s[k] = StringCtor(v); });
    hidden(s, "getPropertyValue", function (k) { return s[k] === undefined ? "" : s[k]; });
    hidden(s, "removeProperty", function (k) { var v = s[k]; delete s[k]; return v === undefined ? "" : v; });
    hidden(s, "cssText", "");
    return s;
  }
  function nodeList(a) {
    a = a || [];
    a.item = function (i) { return a[i] || null; };
    return a;
  }

  function Element() { Node.call(this); }
  Element.prototype = Object.create(NP, { constructor: { value: Element, writable: true, configurable: true } });
  var EP = Element.prototype;
  function initElement(el, tag) {
    Node.call(el);
    tag = StringCtor(tag);
    el.nodeType = 1;
    el.tagName = el.nodeName = tag.toUpperCase();
    el.localName = tag.toLowerCase();
    hidden(el, "_attrs", {});
    el.style = styleObject();
    el.dataset = {};
    el.classList = tokenList(el);
    el.innerHTML = "";
    el.outerHTML = "";
    el.textContent = "";
    el.innerText = "";
    el.id = "";
    el.hidden = false;
    el.shadowRoot = null;
    return el;
  }
  defineProperty(EP, "children", { get: function () { return nodeList(this.childNodes.filter(function (n) { return n instanceof Element; })); }, configurable: true });
  defineProperty(EP, "firstElementChild", { get: function () { return this.children[0] || null; }, configurable: true });
  defineProperty(EP, "lastElementChild", { get: function () { var c = this.children; return c[c.length - 1] || null; }, configurable: true });
  defineProperty(EP, "childElementCount", { get: function () { return this.children.length; }, configurable: true });
  defineProperty(EP, "className", {
    get: function () { return this.getAttribute("class") || ""; },
    set: function (v) { this.setAttribute("class", v); },
    configurable: true,
  });
  defineProperty(EP, "attributes", {
    get: function () {
      var el = this, a = this._attrs;
      var list = nodeList(Object.keys(a).map(function (k) { return { name: k, localName: k, value: a[k], nodeValue: a[k] }; }));
      list.getNamedItem = function (k) {
        var v = el.getAttribute(k);
        return v === null ? null : { name: StringCtor(k).toLowerCase(), localName: StringCtor(k).toLowerCase(), value: v, nodeValue: v };
      };
      list.getNamedItemNS = function (ns, k) { return list.getNamedItem(k); };
      list.setNamedItem = function (attr) { el.setAttribute(attr.name, attr.value); return null; };
      list.removeNamedItem = function (k) { var old = list.getNamedItem(k); el.removeAttribute(k); return old; };
      return list;
    },
    configurable: true,
  });
  EP.setAttribute = function (k, v) { this._attrs[StringCtor(k).toLowerCase()] = StringCtor(v); };
  EP.getAttribute = function (k) { var v = this._attrs[StringCtor(k).toLowerCase()]; return v === undefined ? null : v; };
  EP.hasAttribute = function (k) { return this._attrs[StringCtor(k).toLowerCase()] !== undefined; };
  EP.removeAttribute = function (k) { delete this._attrs[StringCtor(k).toLowerCase()]; };
  EP.toggleAttribute = function (k, f) { if (f === undefined ? this.hasAttribute(k) : !f) { this.removeAttribute(k); return false; } this.setAttribute(k, ""); return true; };
  EP.getAttributeNames = function () { return Object.keys(this._attrs); };
  EP.setAttributeNS = function (ns, k, v) { this.setAttribute(k, v); };
  EP.getAttributeNS = function (ns, k) { return this.getAttribute(k); };
  EP.removeAttributeNS = function (ns, k) { this.removeAttribute(k); };
  EP.append = function () { for (var i = 0; i < arguments.length; i++) this.appendChild(typeof arguments[i] === "object" ? arguments[i] : new Text(arguments[i])); };
  EP.prepend = function () { for (var i = arguments.length - 1; i >= 0; i--) this.insertBefore(typeof arguments[i] === "object" ? arguments[i] : new Text(arguments[i]), this.firstChild); };
  EP.replaceChildren = function () { this.childNodes = []; this.append.apply(this, arguments); };
  EP.remove = function () { if (this.parentNode) this.parentNode.removeChild(this); };
  EP.before = EP.after = EP.replaceWith = noop;
  EP.insertAdjacentHTML = EP.insertAdjacentText = noop;
  EP.insertAdjacentElement = function (pos, el) { return el; };
  EP.querySelector = function () { return null; };
  EP.querySelectorAll = function () { return nodeList(); };
  EP.getElementsByTagName = EP.getElementsByClassName = function () { return nodeList(); };
  EP.closest = function () { return null; };
  EP.matches = function () { return false; };
  EP.getBoundingClientRect = function () { return { x: 0, y: 0, top: 0, left: 0, right: 0, bottom: 0, width: 0, height: 0 }; };
  EP.getClientRects = function () { return []; };
  EP.attachShadow = function () { var r = new DocumentFragment(); r.host = this; this.shadowRoot = r; return r; };
  EP.animate = function () { return { finished: Promise.resolve(), cancel: noop, play: noop, pause: noop, onfinish: null }; };
  EP.scrollIntoView = EP.scrollTo = EP.scroll = EP.focus = EP.blur = EP.click = EP.setPointerCapture = EP.releasePointerCapture = EP.requestFullscreen = noop;
  ["clientWidth", "clientHeight", "offsetWidth", "offsetHeight", "scrollWidth", "scrollHeight", "scrollTop", "scrollLeft", "offsetTop", "offsetLeft"].forEach(function (k) { EP[k] = 0; });
  G.Element = Element;

  function HTMLElement() {
    // new.target is a custom element class: run as the browser would.
    initElement(this, customTag.get(this.constructor) || "div");
  }
  HTMLElement.prototype = Object.create(EP, { constructor: { value: HTMLElement, writable: true, configurable: true } });
  G.HTMLElement = HTMLElement;
  var elementTypes = {
    HTMLDivElement: "div", HTMLSpanElement: "span", HTMLAnchorElement: "a", HTMLButtonElement: "button", HTMLInputElement: "input",
    HTMLTextAreaElement: "textarea", HTMLSelectElement: "select", HTMLOptionElement: "option", HTMLFormElement: "form", HTMLImageElement: "img",
    HTMLCanvasElement: "canvas", HTMLVideoElement: "video", HTMLAudioElement: "audio", HTMLMediaElement: "", HTMLScriptElement: "script",
    HTMLStyleElement: "style", HTMLLinkElement: "link", HTMLMetaElement: "meta", HTMLHeadElement: "head", HTMLBodyElement: "body",
    HTMLHtmlElement: "html", HTMLIFrameElement: "iframe", HTMLTemplateElement: "template", HTMLLabelElement: "label", HTMLUListElement: "ul",
    HTMLLIElement: "li", HTMLTableElement: "table", HTMLParagraphElement: "p", HTMLHeadingElement: "", HTMLPreElement: "pre", HTMLSlotElement: "slot",
    HTMLUnknownElement: "",
  };
  var tagClass = {};
  Object.keys(elementTypes).forEach(function (n) {
    var C = function () { HTMLElement.call(this); };
    C.prototype = Object.create(HTMLElement.prototype, { constructor: { value: C, writable: true, configurable: true } });
    defineProperty(C, "name", { value: n });
    G[n] = C;
    if (elementTypes[n]) tagClass[elementTypes[n]] = C;
  });
  G.Image = function (w, h) { var el = G.document.createElement("img"); el.width = w || 0; el.height = h || 0; return el; };
  G.Audio = function () { return G.document.createElement("audio"); };
  // <a> decomposes its href like a URL (AngularJS parses URLs this way).
  ["href", "protocol", "host", "hostname", "port", "pathname", "search", "hash", "origin"].forEach(function (k) {
    defineProperty(G.HTMLAnchorElement.prototype, k, {
      get: function () {
        var h = this.getAttribute("href");
        if (h === null) return "";
        try { return new URL(h, "http://localhost/")[k]; } catch (_) { return k === "href" ? h : ""; }
      },
      set: function (v) {
        if (k === "href") { this.setAttribute("href", v); return; }
        var u;
        try { u = new URL(this.href || "http://localhost/"); } catch (_) { return; }
        u[k] = StringCtor(v);
        this.setAttribute("href", u.href);
      },
      configurable: true,
    });
  });
  G.HTMLCanvasElement.prototype.getContext = function () { return null; };
  G.HTMLCanvasElement.prototype.toDataURL = function () { return "data:,"; };
  G.HTMLTemplateElement.prototype.content = null;
  G.HTMLMediaElement.prototype.play = function () { return Promise.resolve(); };
  G.HTMLMediaElement.prototype.pause = G.HTMLMediaElement.prototype.load = noop;
  function SVGElement() { initElement(this, "svg"); }
  SVGElement.prototype = Object.create(EP, { constructor: { value: SVGElement, writable: true, configurable: true } });
  G.SVGElement = SVGElement;

  function DocumentFragment() { Node.call(this); this.nodeType = 11; this.nodeName = "#document-fragment"; }
  DocumentFragment.prototype = Object.create(NP, { constructor: { value: DocumentFragment, writable: true, configurable: true } });
  ["querySelector", "querySelectorAll", "getElementsByTagName", "getElementsByClassName", "append", "prepend", "replaceChildren", "getElementById"].forEach(function (k) { DocumentFragment.prototype[k] = EP[k] || function () { return null; }; });
  defineProperty(DocumentFragment.prototype, "children", Object.getOwnPropertyDescriptor(EP, "children"));
  G.DocumentFragment = DocumentFragment;
  G.ShadowRoot = DocumentFragment;

  // customElements: define records the class; createElement and the
  // parser-free document then construct it as a browser would.
  var customTag = new Map(), customClass = {};
  G.customElements = {
    define: function (name, C) {
      name = StringCtor(name);
      if (customClass[name]) throw new Error("Failed to execute 'define' on 'CustomElementRegistry': the name \"" + name + "\" has already been used with this registry");
      if (typeof C !== "function") throw new TypeError("Failed to execute 'define' on 'CustomElementRegistry': The provided value is not a constructor");
      customClass[name] = C;
      customTag.set(C, name);
    },
    get: function (name) { return customClass[StringCtor(name)]; },
    whenDefined: function (name) { return Promise.resolve(customClass[StringCtor(name)]); },
    upgrade: noop,
  };

  function Document() { Node.call(this); }
  Document.prototype = Object.create(NP, { constructor: { value: Document, writable: true, configurable: true } });
  G.Document = Document;
  G.HTMLDocument = Document;
  var doc = new Document();
  doc.nodeType = 9;
  doc.nodeName = "#document";
  var html = initElement(new G.HTMLHtmlElement(), "html");
  var head = initElement(new G.HTMLHeadElement(), "head");
  var body = initElement(new G.HTMLBodyElement(), "body");
  ArrayPush(doc.childNodes, html);
  html.parentNode = doc;
  html.appendChild(head);
  html.appendChild(body);
  var readyState = "loading";
  var script = initElement(new G.HTMLScriptElement(), "script");
  script.src = "http://localhost/" + bundleName;
  script.setAttribute("src", script.src);
  doc.documentElement = html;
  doc.head = head;
  doc.body = body;
  doc.title = "";
  doc.cookie = "";
  doc.referrer = "";
  doc.characterSet = doc.charset = "UTF-8";
  doc.compatMode = "CSS1Compat";
  doc.contentType = "text/html";
  doc.dir = "";
  doc.hidden = false;
  doc.visibilityState = "visible";
  doc.activeElement = body;
  doc.fonts = { ready: Promise.resolve(), add: noop, delete: noop, check: function () { return true; }, load: function () { return Promise.resolve([]); }, forEach: noop };
  doc.implementation = { createHTMLDocument: function () { return doc; } };
  doc.styleSheets = [];
  doc.scripts = nodeList([script]);
  defineProperty(doc, "readyState", { get: function () { return readyState; }, configurable: true });
  defineProperty(doc, "currentScript", { get: function () { return readyState === "loading" ? script : null; }, configurable: true });
  defineProperty(doc, "defaultView", { get: function () { return G; }, configurable: true });
  defineProperty(doc, "location", { get: function () { return G.location; }, set: noop, configurable: true });
  doc.createElement = function (tag) {
    tag = StringCtor(tag).toLowerCase();
    var C = customClass[tag];
    if (C) return new C();
    return initElement(new (tagClass[tag] || HTMLElement)(), tag);
  };
  doc.createElementNS = function (ns, tag) { return /svg/.test(ns) ? initElement(new SVGElement(), tag) : doc.createElement(tag); };
  doc.createTextNode = function (d) { return new Text(d); };
  doc.createComment = function (d) { return new Comment(d); };
  doc.createDocumentFragment = function () { return new DocumentFragment(); };
  doc.createEvent = function () { var e = new Event(""); e.initEvent = function (t, b, c) { this.type = t; this.bubbles = !!b; this.cancelable = !!c; }; e.initCustomEvent = function (t, b, c, d) { this.initEvent(t, b, c); this.detail = d; }; return e; };
  doc.createRange = function () { return { setStart: noop, setEnd: noop, selectNodeContents: noop, collapse: noop, createContextualFragment: function () { return new DocumentFragment(); }, getBoundingClientRect: EP.getBoundingClientRect }; };
  doc.createTreeWalker = function (root) { return { currentNode: root, nextNode: function () { return null; } }; };
  // Lookups return inert elements: startup code that mounts into
  // "#app" gets something to mount into.
  doc.querySelector = function () { return doc.createElement("div"); };
  doc.getElementById = function (id) { var el = doc.createElement("div"); el.id = StringCtor(id); return el; };
  doc.querySelectorAll = function () { return nodeList(); };
  doc.getElementsByTagName = function (t) { t = StringCtor(t).toLowerCase(); return nodeList(t === "head" ? [head] : t === "body" ? [body] : t === "html" ? [html] : t === "script" ? [script] : []); };
  doc.getElementsByClassName = doc.getElementsByName = function () { return nodeList(); };
  doc.hasFocus = function () { return true; };
  doc.execCommand = function () { return false; };
  doc.getSelection = function () { return null; };
  doc.elementFromPoint = function () { return null; };
  doc.open = doc.close = doc.write = doc.writeln = noop;
  G.document = doc;

  var loc = new URL("http://localhost/");
  ["assign", "replace", "reload"].forEach(function (k) { loc[k] = noop; });
  G.location = loc;
  G.history = { length: 1, state: null, scrollRestoration: "auto", pushState: function (s) { this.state = s; }, replaceState: function (s) { this.state = s; }, back: noop, forward: noop, go: noop };
  G.navigator = {
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) manglecheck-sandbox",
    appName: "Netscape", appVersion: "5.0", product: "Gecko", vendor: "",
    language: "en-US", languages: ["en-US", "en"], platform: "Linux x86_64",
    onLine: true, cookieEnabled: false, doNotTrack: null, hardwareConcurrency: 2, maxTouchPoints: 0, webdriver: false,
    sendBeacon: function (u) { host.note("network", "navigator.sendBeacon(" + JSONStringify(StringSlice(urlOf(u), 0, 200)) + ")"); return false; },
    mediaDevices: undefined,
    permissions: { query: function () { return Promise.resolve({ state: "denied" }); } },
  };
  G.screen = { width: 1280, height: 720, availWidth: 1280, availHeight: 720, colorDepth: 24, pixelDepth: 24, orientation: { type: "landscape-primary", angle: 0 } };
  G.devicePixelRatio = 1;
  G.innerWidth = G.outerWidth = 1280;
  G.innerHeight = G.outerHeight = 720;
  G.scrollX = G.scrollY = G.pageXOffset = G.pageYOffset = 0;
  G.isSecureContext = false;
  G.origin = loc.origin;
  G.name = "";
  G.closed = false;
  G.window = G.self = G.top = G.parent = G.frames = G;
  G.frameElement = null;
  G.opener = null;
  G.scrollTo = G.scroll = G.scrollBy = G.focus = G.blur = G.print = G.stop = G.moveTo = G.resizeTo = noop;
  G.alert = noop;
  G.confirm = function () { return false; };
  G.prompt = function () { return null; };
  G.open = function () { return null; };
  G.close = noop;
  G.postMessage = noop;
  G.getSelection = function () { return null; };
  G.getComputedStyle = function (el) { return el && el.style ? el.style : styleObject(); };
  G.matchMedia = function (q) {
    return { matches: false, media: StringCtor(q), onchange: null, addListener: noop, removeListener: noop, addEventListener: noop, removeEventListener: noop, dispatchEvent: function () { return true; } };
  };
  G.CSS = { supports: function () { return false; }, escape: function (s) { return StringCtor(s); } };
  G.requestAnimationFrame = function (fn) { return host.timer(fn, 16, false, [], 1); };
  G.cancelAnimationFrame = function (id) { host.clear(id); };
  G.requestIdleCallback = function (fn) { return host.timer(fn, 1, false, [{ didTimeout: false, timeRemaining: function () { return 50; } }], 0); };
  G.cancelIdleCallback = function (id) { host.clear(id); };
  function Observer(cb) { this._cb = cb; }
  Observer.prototype.observe = Observer.prototype.unobserve = Observer.prototype.disconnect = noop;
  Observer.prototype.takeRecords = function () { return []; };
  ["MutationObserver", "ResizeObserver", "IntersectionObserver", "PerformanceObserver"].forEach(function (n) {
    var C = function (cb) { Observer.call(this, cb); };
    C.prototype = Object.create(Observer.prototype, { constructor: { value: C, writable: true, configurable: true } });
    defineProperty(C, "name", { value: n });
    G[n] = C;
  });
  G.DOMParser = function () {};
  G.DOMParser.prototype.parseFromString = function () { return doc; };
  G.XMLSerializer = function () {};
  G.XMLSerializer.prototype.serializeToString = function () { return ""; };

  function XMLHttpRequest() {
    EventTarget.call(this);
    this.readyState = 0; this.status = 0; this.statusText = ""; this.responseText = ""; this.response = null;
    this.responseType = ""; this.timeout = 0; this.withCredentials = false;
    this.onload = this.onerror = this.onreadystatechange = this.onloadend = this.onabort = this.ontimeout = null;
    this.upload = new EventTarget();
  }
  XMLHttpRequest.prototype = Object.create(EventTarget.prototype, { constructor: { value: XMLHttpRequest, writable: true, configurable: true } });
  XMLHttpRequest.UNSENT = 0; XMLHttpRequest.OPENED = 1; XMLHttpRequest.DONE = 4;
  XMLHttpRequest.prototype.open = function (method, url, async) { this._what = "XMLHttpRequest " + StringCtor(method).toUpperCase() + " " + JSONStringify(StringSlice(urlOf(url), 0, 200)); this._sync = async === false; this.readyState = 1; };
  XMLHttpRequest.prototype.setRequestHeader = XMLHttpRequest.prototype.overrideMimeType = noop;
  XMLHttpRequest.prototype.getResponseHeader = function () { return null; };
  XMLHttpRequest.prototype.getAllResponseHeaders = function () { return ""; };
  XMLHttpRequest.prototype.abort = noop;
  XMLHttpRequest.prototype.send = function () {
    var err = netError(this._what || "XMLHttpRequest");
    if (this._sync) throw err;
    var x = this;
    G.setTimeout(function () {
      x.readyState = 4;
      x.dispatchEvent(new Event("readystatechange"));
      x.dispatchEvent(new Event("error"));
      x.dispatchEvent(new Event("loadend"));
    }, 0);
  };
  G.XMLHttpRequest = XMLHttpRequest;
  function WebSocket(url) {
    EventTarget.call(this);
    netError("WebSocket(" + JSONStringify(StringSlice(urlOf(url), 0, 200)) + ")");
    this.url = StringCtor(url); this.readyState = 0; this.protocol = ""; this.bufferedAmount = 0; this.binaryType = "blob";
    this.onopen = this.onerror = this.onclose = this.onmessage = null;
    var ws = this;
    G.setTimeout(function () {
      ws.readyState = 3;
      ws.dispatchEvent(new Event("error"));
      var c = new Event("close"); c.code = 1006; c.reason = "network disabled in the manglecheck sandbox"; c.wasClean = false;
      ws.dispatchEvent(c);
    }, 0);
  }
  WebSocket.prototype = Object.create(EventTarget.prototype, { constructor: { value: WebSocket, writable: true, configurable: true } });
  WebSocket.prototype.send = function () { throw limitError(Error, "network disabled in the manglecheck sandbox: WebSocket.send"); };
  WebSocket.prototype.close = noop;
  WebSocket.CONNECTING = 0; WebSocket.OPEN = 1; WebSocket.CLOSING = 2; WebSocket.CLOSED = 3;
  G.WebSocket = WebSocket;
  G.EventSource = function (url) { netError("EventSource(" + JSONStringify(StringSlice(urlOf(url), 0, 200)) + ")"); EventTarget.call(this); this.readyState = 2; this.close = noop; };
  G.EventSource.prototype = Object.create(EventTarget.prototype);
  G.Worker = G.SharedWorker = function () { throw limitError(Error, "Web Workers are not available in the manglecheck sandbox"); };

  // The global object is an EventTarget too (window.addEventListener).
  var GP = Object.getPrototypeOf(G);
  if (GP === Object.prototype || GP === null) {
    ["addEventListener", "removeEventListener", "dispatchEvent"].forEach(function (k) { G[k] = EventTarget.prototype[k]; });
  }
  ["addEventListener", "removeEventListener", "dispatchEvent"].forEach(function (k) { doc[k] = EventTarget.prototype[k]; });
  ["onload", "onerror", "onunhandledrejection", "onresize", "onpopstate", "onhashchange", "onmessage", "onbeforeunload", "onunload", "onfocus", "onblur", "onscroll"].forEach(function (k) { G[k] = null; });
  doc.onreadystatechange = null;
  doc.onDOMContentLoaded = undefined;

  // startup finishes loading the page, after the bundle's top level:
  // DOMContentLoaded, then load, as a browser does for a classic script
  // at the end of <body>.
  result.startup = function () {
    readyState = "interactive";
    doc.dispatchEvent(new Event("readystatechange"));
    doc.dispatchEvent(new Event("DOMContentLoaded", { bubbles: true }));
    readyState = "complete";
    doc.dispatchEvent(new Event("readystatechange"));
    G.dispatchEvent(new Event("load"));
    G.dispatchEvent(new Event("pageshow"));
  };
  result.limitError = function (msg) { return limitError(Error, msg); };
  return result;
});
