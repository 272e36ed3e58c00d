package tests

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/ledgerline/ledgerline"

// pkg is the part of `go list -json` output the architecture test reads.
type pkg struct {
	ImportPath string
	Deps       []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", module+"/...").Output()
	require.NoError(t, err, "go list")
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else {
			require.NoError(t, err)
		}
		pkgs = append(pkgs, p)
	}
	require.NotEmpty(t, pkgs)
	return pkgs
}

// adapters are the backend packages that must not know each other.
var adapters = []string{
	module + "/eventstore/memory",
	module + "/eventstore/embedded",
	module + "/eventstore/postgres",
	module + "/eventstore/kurrentdb",
	module + "/projections/readmodel/sqlite",
	module + "/projections/readmodel/postgres",
	module + "/projections/publish/nats",
	module + "/projections/publish/amqp",
	module + "/projections/publish/sql",
}

func TestDomainImportsNoInfrastructure(t *testing.T) {
	for _, p := range listPackages(t) {
		if !under(p.ImportPath, module+"/domain") {
			continue
		}
		for _, d := range p.Deps {
			allowed := !strings.Contains(strings.Split(d, "/")[0], ".") || under(d, module+"/domain") || under(d, "github.com/google/uuid")
			if !allowed && !strings.HasPrefix(d, "vendor/") {
				t.Errorf("%s imports %s: the domain may import only the standard library, google/uuid and itself", p.ImportPath, d)
			}
		}
	}
}

func TestAdaptersDoNotImportEachOther(t *testing.T) {
	for _, p := range listPackages(t) {
		self := adapterOf(p.ImportPath)
		for _, d := range p.Deps {
			if other := adapterOf(d); self != "" && other != "" && other != self {
				t.Errorf("%s imports %s: adapters must not depend on each other", p.ImportPath, d)
			}
		}
	}
}

func TestPortsImportNoAdapter(t *testing.T) {
	ports := []string{module + "/eventstore", module + "/projections/readmodel", module + "/commands", module + "/domain"}
	for _, p := range listPackages(t) {
		for _, port := range ports {
			if p.ImportPath != port {
				continue
			}
			for _, d := range p.Deps {
				require.Empty(t, adapterOf(d), "%s imports adapter %s", p.ImportPath, d)
			}
		}
	}
}

// adapterOf returns the adapter package path holds or is under, "" if none.
// Test-support sub-packages of an adapter (…/pgtest, …/kurrenttest) count
// as that adapter.
func adapterOf(path string) string {
	for _, a := range adapters {
		if under(path, a) {
			return a
		}
	}
	return ""
}

func under(path, root string) bool { return path == root || strings.HasPrefix(path, root+"/") }
