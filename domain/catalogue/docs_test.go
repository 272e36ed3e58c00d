package catalogue_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/domain/catalogue"
)

// TestDocsDescribeEveryType keeps docs/events.md true to the code: every
// catalogued type has a "### <type> (v<version>)" section naming every
// field of its payload, and no section names a type the catalogue lacks.
func TestDocsDescribeEveryType(t *testing.T) {
	raw, err := os.ReadFile("../../docs/events.md")
	require.NoError(t, err)
	sections := docSections(string(raw))
	cat := catalogue.New()
	for _, e := range samples() {
		spec, _ := cat.Spec(e.EventType())
		heading := fmt.Sprintf("%s (v%d)", spec.Type, spec.Version)
		body, ok := sections[heading]
		if !assert.True(t, ok, "docs/events.md lacks a section ### %s", heading) {
			continue
		}
		for _, key := range jsonKeys(t, e) {
			assert.Contains(t, body, "`"+key+"`", "section %s does not name field %s", heading, key)
		}
	}
	for heading := range sections {
		typ, _, _ := strings.Cut(heading, " ")
		_, known := cat.Spec(typ)
		assert.True(t, known, "docs/events.md documents %q, which the catalogue lacks", heading)
	}
}

var headingRE = regexp.MustCompile(`(?m)^### (\S+ \(v\d+\))$`)

// docSections returns the text under each "### type (vN)" heading.
func docSections(doc string) map[string]string {
	out := map[string]string{}
	locs := headingRE.FindAllStringSubmatchIndex(doc, -1)
	for i, loc := range locs {
		end := len(doc)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		out[doc[loc[2]:loc[3]]] = doc[loc[1]:end]
	}
	return out
}
