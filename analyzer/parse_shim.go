package analyzer

import (
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// Temporary until package parse lands.
type shimParsed struct {
	Program *ast.Program
	Text    string
	Module  *struct {
		Imports []struct {
			Local    string
			LocalPos int
		}
		DefaultExpr int
	}
	Remap func(int) (int, bool)
}

func shimParse(path, src string) (*shimParsed, error) {
	prg, err := parser.ParseFile(nil, path, src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		return nil, err
	}
	return &shimParsed{Program: prg, Text: src}, nil
}
