objectClass("x") { a "b\$c" ; search { endpoint("/u") { supportedFilter(attribute("a").eq()) } }
