// The scoring engine: spbe_core in Pyodide in a module worker (worker.js). Every figure the page
// shows is computed there; this module only passes requests and replies, and tracks the
// worker's start-up for the status line.

const STALL_MS = 45000; // no progress for this long: give up (a bad .wasm MIME type hangs forever)

/**
 * The request/reply shapes of spbe_core.handle_request (defined in spbe_core/_protocol.py,
 * mirrored in protocol.js); every reply is {ok: true, ...} or {ok: false, problems}.
 * @typedef {import("./protocol.js").Request} EngineRequest
 * @typedef {{ok: boolean, problems?: string[], [key: string]: any}} EngineReply
 *
 * What the page's inline starter (calculator/theme/main.html) left: a worker started while the
 * page was still loading, the messages it sent before this module ran, and the text of the
 * request it sent as id 0 (the page's last request), if any.
 * @typedef {{worker?: Worker, inbox: any[], error: string | null, sent?: string}} EarlyStart
 */

const EARLY_ID = 0; // the starter's request; the page's own ids start at 1

export class Engine {
  /** @param {EarlyStart | undefined} early @param {URL} workerURL */
  constructor(early, workerURL) {
    /** @type {"memuat" | "siap" | "gagal"} */
    this.state = "memuat";
    /** @type {"unduh" | "python" | "spbe"} */
    this.stage = "unduh";
    this.progress = 0;
    this.error = "";
    /** @type {"snapshot" | "biasa" | ""} how Python started */
    this.start = "";
    /** @type {Set<() => void>} */
    this.listeners = new Set();
    /** @type {Map<number, {resolve: (reply: EngineReply) => void, reject: (error: Error) => void}>} */
    this.pending = new Map();
    this.nextId = 1;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** @type {Worker | undefined} */
    this.worker = undefined;
    // The starter's request until the page's first one claims it (same text) or passes it,
    // and its reply if that came first.
    /** @type {string | null} */
    this.early = null;
    /** @type {any} */
    this.earlyReply = null;
    let inbox = [];
    if (early?.worker) {
      this.worker = early.worker;
      inbox = early.inbox;
      this.early = early.sent ?? null;
    } else if (!early?.error) {
      try {
        this.worker = new Worker(workerURL, { type: "module" });
        // Instant navigation may run the page's inline starter after this: it must not
        // start a second engine.
        /** @type {any} */ (window).spbeMesin = { worker: this.worker, inbox: [], error: null };
      } catch (error) {
        this.fail(String(error));
        return;
      }
    }
    if (early?.error || !this.worker) {
      this.fail("berkas mesin hitung tidak dapat dijalankan");
      return;
    }
    this.worker.onmessage = (event) => this.receive(event.data);
    // A module worker that cannot load (404, wrong MIME type, no module-worker support)
    // reports a bare Event without a message.
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      this.fail(event.message || "berkas mesin hitung tidak dapat dijalankan");
    };
    inbox.forEach((message) => this.receive(message));
    this.watchdog();
  }

  watchdog() {
    clearTimeout(this.timer);
    if (this.state !== "memuat") return;
    this.timer = setTimeout(() => this.fail("waktu memuat habis"), STALL_MS);
  }

  /** @param {EngineRequest} request @returns {Promise<EngineReply>} */
  request(request) {
    const worker = this.worker;
    if (this.state === "gagal" || !worker) return Promise.reject(new Error(this.error));
    // Only the page's first request can claim the starter's; either way neither is kept.
    const early = this.early;
    const earlyReply = this.earlyReply;
    this.early = null;
    this.earlyReply = null;
    if (early !== null && JSON.stringify(request) === early) {
      performance.mark("spbe-permintaan-awal"); // read by the tests and `make bench`
      return new Promise((resolve, reject) => {
        this.pending.set(EARLY_ID, { resolve, reject });
        if (earlyReply) this.receive(earlyReply);
      });
    }
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, request });
    });
  }

  /** @param {any} message */
  receive(message) {
    if (this.state === "gagal") return;
    switch (message.type) {
      case "progress":
        this.progress = message.total ? message.loaded / message.total : 0;
        break;
      case "stage":
        this.stage = message.stage;
        break;
      case "ready":
        this.state = "siap";
        this.start = message.snapshot ? "snapshot" : "biasa";
        // The worker's start-up steps on this page's timeline, for `make bench`.
        for (const [name, epoch] of Object.entries(message.timings ?? {})) {
          performance.mark(`spbe-mesin-${name}`, { startTime: epoch - performance.timeOrigin });
        }
        break;
      case "failed":
        this.fail(message.error);
        return;
      case "reply": {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (!waiting) {
          if (message.id === EARLY_ID && this.early !== null) this.earlyReply = message;
          return;
        }
        if (message.error) waiting.reject(new Error(message.error));
        else waiting.resolve(message.reply);
        return;
      }
      default:
        return;
    }
    this.watchdog();
    this.notify();
  }

  /** @param {string} reason */
  fail(reason) {
    if (this.state === "gagal") return;
    this.state = "gagal";
    this.error = reason;
    clearTimeout(this.timer);
    this.worker?.terminate();
    for (const waiting of this.pending.values()) waiting.reject(new Error(reason));
    this.pending.clear();
    this.notify();
  }

  notify() {
    this.listeners.forEach((listener) => listener());
  }
}
