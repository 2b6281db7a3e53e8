/**
 * The layout engine (ELK) in a Web Worker, so laying out a graph of hundreds of nodes never freezes the
 * page. ELK's worker script installs its own message handler; the page talks to it through ELK's API.
 */
import "elkjs/lib/elk-worker.min.js";
