objectClass("User") {
    description "A person with an account; costs \$5 \"per\" seat\nsecond line"
    attribute("active") {
        json {
            type "boolean"
        }
    }
    attribute("address") {
        complexType "Address"
    }
    attribute("created_at") {
        json {
            type "string"
            openApiFormat "date-time"
        }
        creatable false
        updatable false
    }
    attribute("email") {
        json {
            type "string"
            openApiFormat "email"
        }
    }
    attribute("emails") {
        json {
            type "string"
        }
        multiValued true
    }
    // attribute groups references Group: declared by the relationship scripts, not here
    attribute("id") {
        json {
            type "integer"
            openApiFormat "int64"
        }
        creatable false
        updatable false
    }
    attribute("login") {
        description "Login name, e.g. \${user}"
        json {
            type "string"
        }
        required true
    }
    // attribute metadata omitted: free-form JSON object without a schema
    attribute("password") {
        json {
            type "string"
            openApiFormat "password"
        }
        readable false
        returnedByDefault false
    }
    attribute("score") {
        json {
            type "string"
        }
    }
    attribute("tags") {
        json {
            type "string"
        }
        multiValued true
    }
}
