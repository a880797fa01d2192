// Package jstoken is the lexical layer of JavaScript shared by the engine's
// scanners: white space and line terminators (every ECMAScript one),
// comments, string, template and regular expression literals, numbers,
// identifiers (with \u escapes and non-ASCII letters) and punctuators.
//
// It offers three levels, for scanners that track more or less syntax:
//
//   - scanning functions (SkipTrivia, ScanIdent, ScanNumber, ScanString,
//     ScanTemplate, ScanRegex, CommentEnd, PunctLen) that each return where
//     one element at an offset ends, keeping no state;
//   - SlashAfter, the one decision whether a `/` starts a regular
//     expression or divides, from the class (Before) of what precedes it;
//   - Lexer, a token stream that classifies the previous significant token
//     itself, with a stack of open brackets for what a `)` or a template's
//     `}` closed, and says Invalid where it cannot tell.
//
// The ES-module lowering (package esm) tracks statement and expression
// context and so classifies what precedes a `/` from its own state; the
// split planner (package parse) and the source map comment scan read Lexer
// tokens. Tokens are offsets into the text: lexing allocates nothing per
// token.
package jstoken
