objectClass("Employee") {
    connIdAttribute("UID", "emp_id")
    connIdAttribute("NAME", "full_name")
}
