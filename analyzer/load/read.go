package load

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ReadFile reads a bundle or map the way the engine does: unless it is
// larger than max bytes or not a regular file (a FIFO would block).
func ReadFile(path string, max int64) ([]byte, error) {
	// Stat before opening: opening a FIFO for reading blocks until
	// something writes to it (--sourcemap /path/to/fifo hung the run).
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if st.Size() > max {
		return nil, fmt.Errorf("%s: %d bytes is over the %d byte limit (--max-file-size)", path, st.Size(), max)
	}
	// Sized from the stat, so a big file is read into one allocation
	// (io.ReadAll would grow and copy it); one byte past the limit tells a
	// file that grew.
	var buf bytes.Buffer
	buf.Grow(int(st.Size()) + bytes.MinRead)
	_, err = buf.ReadFrom(io.LimitReader(f, max+1))
	data := buf.Bytes()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: over the %d byte limit (--max-file-size)", path, max)
	}
	return data, nil
}

// ReadInside reads the file at abs if, symlinks resolved, it is inside dir
// and not larger than max bytes.
func ReadInside(dir, abs string, max int64) (string, bool) {
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(dir, real)
	if err != nil || !filepath.IsLocal(rel) {
		return "", false
	}
	data, err := ReadFile(real, max)
	if err != nil {
		return "", false
	}
	return string(data), true
}
