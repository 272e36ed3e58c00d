# Reads dir/<backend>.log (go test -v output) for each backend and prints a
# markdown table: one row per conformance case, one column per backend.
BEGIN {
  n = split(backends, names, " ")
  for (i = 1; i <= n; i++) {
    file = dir "/" names[i] ".log"
    while ((getline line < file) > 0) {
      if (match(line, /--- (PASS|FAIL|SKIP): TestConformance\/[^ ]+/)) {
        split(substr(line, RSTART, RLENGTH), parts, " ")
        status = parts[2]; sub(":", "", status)
        name = parts[3]; sub("TestConformance/", "", name)
        if (!(name in seen)) { seen[name] = 1; order[++count] = name }
        result[name, i] = status
      }
    }
  }
  header = "| case |"; rule = "| --- |"
  for (i = 1; i <= n; i++) { header = header " " names[i] " |"; rule = rule " --- |" }
  print header; print rule
  for (c = 1; c <= count; c++) {
    name = order[c]
    if (name !~ /\//) continue  # group rows carry no result of their own
    row = "| " name " |"
    for (i = 1; i <= n; i++) {
      s = result[name, i]
      if (s == "PASS") s = "pass"; else if (s == "SKIP") s = "skip (capability absent)"; else if (s == "FAIL") s = "**FAIL**"; else s = "—"
      row = row " " s " |"
    }
    print row
  }
}
