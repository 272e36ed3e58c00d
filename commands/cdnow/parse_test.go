package cdnow_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/commands/cdnow"
)

func TestParserReadsBothLayouts(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		dataset cdnow.Dataset
		want    []cdnow.Row
	}{{
		name:    "master with header and CRLF",
		input:   " customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n 00002 19970112  2   12.5\r\n",
		dataset: cdnow.Master,
		want: []cdnow.Row{
			{Line: 2, CustomerID: "00001", Date: day(1997, 1, 1), CDs: 1, Cents: 1177},
			{Line: 3, CustomerID: "00002", Date: day(1997, 1, 12), CDs: 2, Cents: 1250},
		},
	}, {
		name:    "sample without header",
		input:   " 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   0\r\n",
		dataset: cdnow.Sample,
		want: []cdnow.Row{
			{Line: 1, CustomerID: "00004", SampleIndex: "0001", Date: day(1997, 1, 1), CDs: 2, Cents: 2933},
			{Line: 2, CustomerID: "00004", SampleIndex: "0001", Date: day(1997, 1, 18), CDs: 2, Cents: 0},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := cdnow.NewParser(strings.NewReader(tt.input), "f.txt")
			require.NoError(t, err)
			assert.Equal(t, tt.dataset, p.Dataset())
			var got []cdnow.Row
			for {
				row, err := p.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				require.NoError(t, err)
				got = append(got, row)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParserNamesLineColumnAndRule(t *testing.T) {
	header := " customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n"
	tests := []struct {
		name   string
		line   string
		column int
		rule   string
	}{
		{"letters in id", " 0000X 19970101 1 1.00", 1, "digits only"},
		{"impossible date", " 00001 19970231 1 1.00", 2, "valid date"},
		{"short date", " 00001 1997011 1 1.00", 2, "YYYYMMDD"},
		{"zero CDs", " 00001 19970101 0 1.00", 3, "at least 1"},
		{"three decimals", " 00001 19970101 1 1.005", 4, "two decimals"},
		{"negative amount", " 00001 19970101 1 -1.00", 4, "non-negative"},
		{"missing column", " 00001 19970101 1", 0, "want 4 columns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := cdnow.NewParser(strings.NewReader(header+tt.line+"\n"), "bad.txt")
			require.NoError(t, err)
			_, err = p.Next()
			require.NoError(t, err)
			_, err = p.Next()
			var le *cdnow.LineError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, "bad.txt", le.File)
			assert.Equal(t, 3, le.Line)
			assert.Equal(t, tt.column, le.Column)
			assert.Contains(t, le.Error(), tt.rule)
			assert.Contains(t, le.Error(), "bad.txt:3")
		})
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
