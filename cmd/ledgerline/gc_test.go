package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBulkGC(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	restore := bulkGC()
	assert.Equal(t, bulkGCPercent, debug.SetGCPercent(bulkGCPercent))
	restore()
	assert.Equal(t, 100, debug.SetGCPercent(100))

	t.Setenv("GOGC", "50")
	bulkGC()()
	assert.Equal(t, 100, debug.SetGCPercent(100), "GOGC set by the user wins")
}
