package report

import (
	"io"

	"github.com/manglecheck/manglecheck/analyzer/checker"
)

// JSON writes the whole Result as one pretty-printed JSON document
// (Document). Its shape is a contract other tools read (version 1): fields
// may be added, none of these may change. Lines and columns are 1-based;
// columns count UTF-16 code units, as in source maps.
//
//	{"version":1,
//	 "files":[{"path","bytes","sourceMap":string|null,"minified","error":string|null}],
//	 "findings":[{"rule","severity","message",
//	              "bundle":{"path","line","column"},
//	              "original":{"source","line","column","name"}|null,
//	              "fingerprint",
//	              "stack":[{"function","bundle":{…}|null,"original":{…}|null}],
//	              "confirmed":true|false}],
//	 "suppressed":N, "baselined":N}
//
// A finding's bundle line and column are 0 for an engine diagnostic about
// an original source (unused-suppression); fingerprint is absent when the
// engine did not compute one; suppressed and baselined are absent when 0.
// stack is present only for findings made by running the bundle
// (startup-error), confirmed only after check --confirm ran the read.
type JSON struct {
	W io.Writer
}

// Report writes res.
func (j JSON) Report(res checker.Result) error {
	return WriteJSON(j.W, NewDocument(res))
}
