package cdnow

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// Dataset names the layout of a CDNOW file.
type Dataset string

const (
	// Master is CDNOW_master.txt: a header line, then customer_id, date,
	// number_of_cds, dollar_value.
	Master Dataset = "master"
	// Sample is CDNOW_sample.txt: no header, customer_id, sample_index,
	// date, number_of_cds, dollar_value.
	Sample Dataset = "sample"
)

// Row is one purchase line of a CDNOW file.
type Row struct {
	// Line is the 1-based line number in the file.
	Line int
	// CustomerID is the source customer id as written ("00001").
	CustomerID string
	// SampleIndex is the sample file's index of the customer, "" in the
	// master file.
	SampleIndex string
	Date        time.Time
	CDs         int
	// Cents is dollar_value in integer cents.
	Cents int64
}

// LineError names the file, line, column and rule a malformed line breaks.
type LineError struct {
	File   string
	Line   int
	Column int
	Name   string
	Rule   string
	Value  string
}

// Error implements error.
func (e *LineError) Error() string {
	if e.Column == 0 {
		return fmt.Sprintf("%s:%d: %s (got %q)", e.File, e.Line, e.Rule, e.Value)
	}
	return fmt.Sprintf("%s:%d: column %d (%s): %s (got %q)", e.File, e.Line, e.Column, e.Name, e.Rule, e.Value)
}

// Parser reads a CDNOW file line by line.
type Parser struct {
	file    string
	sc      *bufio.Scanner
	line    int
	dataset Dataset
	pending *Row
}

// NewParser reads r, naming it file in errors. It reads the first line to
// tell the dataset: a header means the master file, five columns the
// sample file.
func NewParser(r io.Reader, file string) (*Parser, error) {
	p := &Parser{file: file, sc: bufio.NewScanner(r)}
	if !p.sc.Scan() {
		if err := p.sc.Err(); err != nil {
			return nil, fmt.Errorf("read %s: %w", file, err)
		}
		return nil, &LineError{File: file, Line: 1, Rule: "file is empty"}
	}
	p.line = 1
	first := strings.Fields(p.sc.Text())
	switch {
	case len(first) == 0:
		return nil, &LineError{File: file, Line: 1, Rule: "first line is empty: want a header or a purchase"}
	case first[0] == "customer_id":
		p.dataset = Master
		return p, nil
	case len(first) == 5:
		p.dataset = Sample
	default:
		p.dataset = Master
	}
	row, err := p.parse(first)
	if err != nil {
		return nil, err
	}
	p.pending = &row
	return p, nil
}

// Dataset reports the layout the parser detected.
func (p *Parser) Dataset() Dataset { return p.dataset }

// Next returns the next row, io.EOF at the end, or a *LineError.
func (p *Parser) Next() (Row, error) {
	if p.pending != nil {
		row := *p.pending
		p.pending = nil
		return row, nil
	}
	for p.sc.Scan() {
		p.line++
		fields := strings.Fields(p.sc.Text())
		if len(fields) == 0 {
			continue
		}
		return p.parse(fields)
	}
	if err := p.sc.Err(); err != nil {
		return Row{}, fmt.Errorf("read %s: %w", p.file, err)
	}
	return Row{}, io.EOF
}

func (p *Parser) columns() []string {
	if p.dataset == Sample {
		return []string{"customer_id", "sample_index", "date", "number_of_cds", "dollar_value"}
	}
	return []string{"customer_id", "date", "number_of_cds", "dollar_value"}
}

func (p *Parser) parse(fields []string) (Row, error) {
	cols := p.columns()
	if len(fields) != len(cols) {
		return Row{}, &LineError{File: p.file, Line: p.line, Rule: fmt.Sprintf("want %d columns (%s), found %d",
			len(cols), strings.Join(cols, ", "), len(fields)), Value: strings.Join(fields, " ")}
	}
	row := Row{Line: p.line}
	for i, f := range fields {
		if err := p.field(&row, cols[i], f); err != nil {
			return Row{}, &LineError{File: p.file, Line: p.line, Column: i + 1, Name: cols[i], Rule: err.Error(), Value: f}
		}
	}
	return row, nil
}

func (p *Parser) field(row *Row, name, v string) error {
	var err error
	switch name {
	case "customer_id":
		row.CustomerID, err = digits(v)
	case "sample_index":
		row.SampleIndex, err = digits(v)
	case "date":
		row.Date, err = date(v)
	case "number_of_cds":
		row.CDs, err = positive(v)
	case "dollar_value":
		row.Cents, err = cents(v)
	}
	return err
}
