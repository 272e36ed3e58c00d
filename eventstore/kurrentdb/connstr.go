package kurrentdb

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"slices"
	"strings"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

// schemes maps the connection-string schemes Open accepts to the ones the
// v4 client parses: KurrentDB's new names are the old ones renamed.
var schemes = map[string]string{
	"esdb":               "esdb",
	"esdb+discover":      "esdb+discover",
	"kurrentdb":          "esdb",
	"kurrentdb+discover": "esdb+discover",
}

// clientSettings are the query settings the v4 client understands, in
// lower case; it would print a warning to the standard logger for any
// other.
var clientSettings = []string{
	"discoveryinterval", "gossiptimeout", "maxdiscoverattempts", "nodepreference",
	"keepaliveinterval", "keepalivetimeout", "tls", "tlscafile", "usercertfile",
	"userkeyfile", "tlsverifycert", "defaultdeadline",
}

// parseConnString turns a KurrentDB connection string into the client's
// configuration. Settings the v4 client does not know (ones newer clients
// added, such as connectionName) are dropped with a warning on log. Unless
// the string sets maxDiscoverAttempts, discovery never gives up: the v4
// client closes itself for good after its last failed attempt, so the
// store bounds each call with Config.Timeout instead.
func parseConnString(raw string, log *slog.Logger) (*esdb.Configuration, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	target, known := schemes[strings.ToLower(scheme)]
	if !ok || !known {
		return nil, fmt.Errorf("connection string: scheme %q is not esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover://", scheme)
	}
	hosts, query, _ := strings.Cut(rest, "?")
	values, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("connection string: settings: %w", err)
	}
	limited := false
	for key := range values {
		lower := strings.ToLower(key)
		limited = limited || lower == "maxdiscoverattempts"
		if !slices.Contains(clientSettings, lower) {
			log.Warn("kurrentdb: connection string setting ignored by the v4 client", "setting", key)
			values.Del(key)
		}
	}
	cfg, err := esdb.ParseConnectionString(target + "://" + hosts + "?" + values.Encode())
	if err != nil {
		return nil, fmt.Errorf("connection string: %s", redact(err.Error(), hosts))
	}
	cfg.Logger = clientLogger(log)
	if !limited {
		cfg.MaxDiscoverAttempts = math.MaxInt32
	}
	return cfg, nil
}

// redact hides the password of hosts ("user:password@host…") in text.
func redact(text, hosts string) string {
	userinfo, _, found := strings.Cut(hosts, "@")
	_, password, hasPassword := strings.Cut(userinfo, ":")
	if !found || !hasPassword || password == "" {
		return text
	}
	return strings.ReplaceAll(text, password, "xxxxx")
}

// clientLogger routes the esdb client's log lines to log. The client logs
// every failed call as an error although it also returns it, so its
// errors and warnings become warnings, the rest debug lines.
func clientLogger(log *slog.Logger) esdb.LoggingFunc {
	return func(level esdb.LogLevel, format string, args ...any) {
		lvl := slog.LevelDebug
		if level == esdb.LogError || level == esdb.LogWarn {
			lvl = slog.LevelWarn
		}
		log.Log(context.Background(), lvl, fmt.Sprintf(format, args...), "component", "esdb-client")
	}
}
