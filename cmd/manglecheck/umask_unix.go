//go:build unix

package main

import (
	"io/fs"
	"syscall"
)

// umask reads the process's umask (setting it back at once).
func umask() fs.FileMode {
	u := syscall.Umask(0)
	syscall.Umask(u)
	return fs.FileMode(u)
}
