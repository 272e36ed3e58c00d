// Package demotest gives tests a small demo log holding every event type
// of the catalogue, made through the command layer.
package demotest
