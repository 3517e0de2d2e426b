objectClass("User") {
    scim {
        extension("enterprise", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
    }
    attribute("employeeNumber") {
        scim {
            path extension("enterprise").child("employeeNumber")
        }
    }
    attribute("id") {
    }
    attribute("managerRef") {
        scim {
            path attribute("manager").child("\$ref")
        }
    }
    attribute("userName") {
    }
    attribute("workEmail") {
        scim {
            path attribute("emails").child("value")
        }
    }
}
