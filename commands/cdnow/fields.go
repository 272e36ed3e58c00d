package cdnow

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

func digits(v string) (string, error) {
	if v == "" || strings.Trim(v, "0123456789") != "" {
		return "", errors.New("must be digits only")
	}
	return v, nil
}

func date(v string) (time.Time, error) {
	if len(v) != 8 {
		return time.Time{}, errors.New("must be a date YYYYMMDD")
	}
	t, err := time.Parse("20060102", v)
	if err != nil {
		return time.Time{}, errors.New("must be a valid date YYYYMMDD")
	}
	return t, nil
}

func positive(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, errors.New("must be a whole number of at least 1")
	}
	return n, nil
}

// cents parses a non-negative dollar amount with at most two decimals into
// integer cents, without passing through floating point.
func cents(v string) (int64, error) {
	whole, frac, _ := strings.Cut(v, ".")
	if len(frac) > 2 {
		return 0, errors.New("must have at most two decimals")
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, err1 := strconv.ParseUint(whole, 10, 40)
	f, err2 := strconv.ParseUint(frac, 10, 8)
	if err1 != nil || err2 != nil || whole == "" {
		return 0, errors.New("must be a non-negative amount like 12.34")
	}
	return int64(w*100 + f), nil
}
