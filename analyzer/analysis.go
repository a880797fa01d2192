package analyzer

// An Analysis computes a result from a file once, for every rule that
// requires it (Rule.Requires), as go/analysis's required analyzers do:
// a per-file index or table several rules read. The value flows of the
// file (File.Names) are the base every analysis and rule reads; an
// Analysis builds on them. Run must not modify the file, and its result
// is read by rules running at the same time: it must be safe for
// concurrent reads (memoize under a lock, or not at all).
type Analysis struct {
	// Name is short and unique, for messages.
	Name string
	// Doc says what the result holds.
	Doc string
	// Run computes the result.
	Run func(*File) any
}

// Prepare computes, once each and in the order rules first name them,
// the analyses the rules require, for their passes to read. Drivers call
// it before running the rules on the file.
func (f *File) Prepare(rules []*Rule) {
	for _, r := range rules {
		for _, a := range r.Requires {
			if _, done := f.results[a]; done {
				continue
			}
			if f.results == nil {
				f.results = map[*Analysis]any{}
			}
			f.results[a] = a.Run(f)
		}
	}
}
