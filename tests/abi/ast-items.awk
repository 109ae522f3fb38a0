# SPDX-License-Identifier: MIT
#
# Reads the text AST that `clang -Xclang -ast-dump` prints for one
# translation unit and lists the C declarations an ABI header can make:
#
#   record <rec>                       a complete struct or union
#   field  <rec> <path> <bit|-> <type> one member (nested anonymous
#                                      members are flattened into paths)
#   typedef <name> <type>
#   enum   <name>                      a named enum type
#   econst <name>                      an enumeration constant
#
# <rec> is "struct:tag" / "union:tag", or the typedef name of an anonymous
# record ("typedef struct { ... } xen_uuid_t;"). <type> is clang's
# canonical spelling with file positions of anonymous types removed, so the
# two header sets can be compared as text. Plain POSIX awk (Debian's mawk).

function depth_of(line,    i, c) {
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (c != "|" && c != " " && c != "`" && c != "-")
            return int((i - 1) / 2)
    }
    return -1
}

# The canonical form of a quoted clang type: 'sugar':'canonical' -> canonical.
function canon(s,    t, n, parts) {
    n = split(s, parts, "':'")
    t = parts[n]
    gsub(/'/, "", t)
    # "(unnamed union at /path/x.h:12:5)" and "(anonymous ...)" carry file
    # positions; "outer::" scopes only say where it was declared.
    gsub(/\((unnamed|anonymous)[^)]*\)/, "<anon>", t)
    gsub(/[A-Za-z_][A-Za-z_0-9]*::/, "", t)
    gsub(/[ \t]+$/, "", t)
    return t
}

# Name and type from a FieldDecl / TypedefDecl / EnumConstantDecl line:
# "... col:14 [referenced|implicit|used] NAME 'type'..."
function split_decl(line,    q, head, w, n) {
    q = index(line, "'")
    if (q == 0) { D_name = ""; D_type = ""; return }
    head = substr(line, 1, q - 1)
    D_type = canon(substr(line, q))
    n = split(head, w, " ")
    D_name = w[n]
    if (D_name ~ /^(col|line):/ || D_name ~ />$/ || \
        D_name == "implicit" || D_name == "referenced" || D_name == "used")
        D_name = ""
}

{
    d = depth_of($0)
    if (d < 1)
        next
    line = substr($0, 2 * d + 1)
    kind = line
    sub(/ .*/, "", kind)
    id = ++N
    K[id] = kind
    P[id] = (d > 1) ? stack[d - 1] : 0
    stack[d] = id
    nkids[P[id]]++
    KID[P[id], nkids[P[id]]] = id
    ADDR[id] = ""
    if (match(line, / 0x[0-9a-f]+/))
        ADDR[id] = substr(line, RSTART + 1, RLENGTH - 1)
    IMPL[id] = (line ~ / implicit /)

    if (kind == "RecordDecl") {
        n = split(line, w, " ")
        DEF[id] = (w[n] == "definition")
        if (DEF[id]) n--
        if (w[n] == "struct" || w[n] == "union") {
            RK[id] = w[n]; RN[id] = ""
        } else {
            RK[id] = w[n - 1]; RN[id] = w[n]
        }
    } else if (kind == "FieldDecl" || kind == "TypedefDecl" || \
               kind == "EnumConstantDecl") {
        split_decl(line)
        NAME[id] = D_name
        TYPE[id] = D_type
        BITS[id] = 0
    } else if (kind == "EnumDecl") {
        n = split(line, w, " ")
        NAME[id] = (w[n] ~ /^(col|line):/ || w[n] ~ />$/) ? "" : w[n]
    } else if (kind == "ConstantExpr" && K[P[id]] == "FieldDecl") {
        BITS[P[id]] = 1         # a bit-field's width expression
    } else if (kind == "Record" && P[id] && K[P[id]] != "") {
        # Inside a typedef: which record it names (for anonymous ones).
        t = P[id]
        while (P[t]) t = P[t]
        if (K[t] == "TypedefDecl" && !(ADDR[id] in TDNAME))
            TDNAME[ADDR[id]] = NAME[t]
    }
}

# List the members of record r under "prefix", descending into anonymous
# records (a named member "u" gives "u.x", an anonymous member gives "x").
function fields(r, recname, prefix,    i, c, last_anon, p) {
    last_anon = 0
    for (i = 1; i <= nkids[r]; i++) {
        c = KID[r, i]
        if (K[c] == "RecordDecl" && RN[c] == "" && DEF[c]) {
            last_anon = c
            continue
        }
        if (K[c] != "FieldDecl")
            continue
        if (NAME[c] == "") {
            if (last_anon) fields(last_anon, recname, prefix)
            continue
        }
        p = prefix NAME[c]
        print "field", recname, p, (BITS[c] ? "bit" : "-"), TYPE[c]
        if (TYPE[c] ~ /<anon>/ && last_anon)
            fields(last_anon, recname, p (TYPE[c] ~ /\]$/ ? "[0]." : "."))
    }
}

# Declared inside a function body (Xen's hvm/save.h has one): not visible
# to an includer, so not part of what the header defines.
function in_function(id,    t) {
    for (t = P[id]; t; t = P[t])
        if (K[t] == "FunctionDecl")
            return 1
    return 0
}

END {
    for (id = 1; id <= N; id++) {
        if (in_function(id))
            continue
        if (K[id] == "RecordDecl" && DEF[id]) {
            if (RN[id] != "")
                rec = RK[id] ":" RN[id]
            else if (P[id] == 0 && (ADDR[id] in TDNAME))
                rec = TDNAME[ADDR[id]]
            else
                continue        # anonymous member type: flattened above
            print "record", rec
            fields(id, rec, "")
        } else if (K[id] == "TypedefDecl" && P[id] == 0 && !IMPL[id]) {
            print "typedef", NAME[id], TYPE[id]
        } else if (K[id] == "EnumDecl" && NAME[id] != "") {
            print "enum", NAME[id]
        } else if (K[id] == "EnumConstantDecl") {
            print "econst", NAME[id]
        }
    }
}
