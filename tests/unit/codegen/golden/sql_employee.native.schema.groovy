objectClass("Employee") {
    sql {
        table "employees"
    }
    attribute("emp_id") {
        updatable false
    }
    attribute("full_name") {
        sql {
            name "FULL_NAME"
        }
    }
}
