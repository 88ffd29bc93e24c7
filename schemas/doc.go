// Package schemas holds the input and output types of every tool and
// validates tool arguments against their JSON Schemas with messages a model
// can act on.
//
// The schemas are generated from the types by package schemagen, committed
// as schemas/<tool>.json and embedded into the binary; a test in package
// tools regenerates them from the Go types and fails when they differ, so
// every change to what a model sees shows up in review.
package schemas
