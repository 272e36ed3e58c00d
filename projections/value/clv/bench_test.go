package clv_test

import (
	"context"
	"testing"

	"github.com/ledgerline/ledgerline/projections/value/clv"
)

// BenchmarkFitCDNOWMaster fits both models to the CDNOW master file's
// 23,570 customers, imported as events and summarised outside the timer.
func BenchmarkFitCDNOWMaster(b *testing.B) {
	cs := summaries(b, masterFile)
	b.Run("BGNBD", func(b *testing.B) {
		var m clv.BGNBD
		for b.Loop() {
			var err error
			if m, err = clv.FitBGNBD(context.Background(), cs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(m.Customers), "customers")
		b.Logf("%+v", m)
	})
	b.Run("GammaGamma", func(b *testing.B) {
		var m clv.GammaGamma
		for b.Loop() {
			var err error
			if m, err = clv.FitGammaGamma(context.Background(), cs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(m.Customers), "customers")
		b.Logf("%+v", m)
	})
}
