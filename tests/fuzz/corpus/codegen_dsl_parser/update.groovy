objectClass("User") {
    update {
        endpoint(PATCH, "users/{id}") {
            supportedAttributes "login", "email", "tags", "emails", "score"
            request {
                contentType APPLICATION_JSON
            }
        }
        endpoint(PUT, "users/{id}/password") {
            supportedAttributes "password"
            request {
                contentType APPLICATION_JSON
            }
        }
        endpoint(POST, "users/{id}/activate") {
            supportedAttribute("active") {
                value true
            }
            request {
                body EMPTY
            }
        }
        endpoint(POST, "users/{id}/deactivate") {
            supportedAttribute("active") {
                value false
            }
            request {
                body EMPTY
            }
        }
    }
}
