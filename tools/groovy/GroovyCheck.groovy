// Long-lived Groovy 4 checker for connector-gen (driven by src/codegen/groovy_checker.h).
//
// Protocol: one JSON object per line on stdin: {"id": <any>, "name": "<file name>", "source": "<groovy>"}.
// For each request one JSON line on stdout:
//   {"id", "ok", "errors": [{"line","column","message"}], "warnings": [...], "tree": [<node>...] | null}
// Batch request: {"id", "batch": [{"name","source"}...]} → {"id", "results": [<result as above, no id>...]} in
// order; the batch is compiled in one CompilationUnit, scripts with errors are recompiled alone (same answers).
// After start-up it prints {"ready": true, "groovy": "<version>"}.
// Each script is compiled with CompilationUnit up to SEMANTIC_ANALYSIS; nothing is executed.
// Unresolvable classes (the connector framework is not on this classpath) are reported as warnings.
// The tree is the script's statement list: call nodes {kind:"call", name, receiver?, args, line, column}
// with argument kinds string/number/boolean/null/gstring/closure(body)/identifier/property/call(chain)/map/expression.
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import org.codehaus.groovy.ast.expr.*
import org.codehaus.groovy.ast.stmt.*
import org.codehaus.groovy.control.CompilationFailedException
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.Phases
import org.codehaus.groovy.control.messages.ExceptionMessage
import org.codehaus.groovy.control.messages.SimpleMessage
import org.codehaus.groovy.control.messages.SyntaxErrorMessage

class DslTree {
    static List statements(Statement s) {
        if (s == null) return []
        if (s instanceof BlockStatement) return s.statements.collectMany { statements(it) }
        return [statement(s)]
    }

    static Map position(node, Map m) {
        m.line = node.lineNumber
        m.column = node.columnNumber
        return m
    }

    static Map statement(Statement s) {
        if (s instanceof ExpressionStatement) {
            def e = s.expression
            if (e instanceof MethodCallExpression) return call(e)
            if (e instanceof VariableExpression) return position(e, [kind: 'property', name: e.name])
            return position(e, [kind: 'expression', type: e.class.simpleName, text: text(e)])
        }
        return position(s, [kind: 'statement', type: s.class.simpleName])
    }

    static String text(Expression e) {
        try { return e.text } catch (Throwable ignored) { return e.class.simpleName }
    }

    static Map call(MethodCallExpression mce) {
        def m = [kind: 'call', name: mce.methodAsString ?: text(mce.method), args: arguments(mce.arguments)]
        if (!mce.implicitThis) m.receiver = text(mce.objectExpression)
        return position(mce, m)
    }

    static List arguments(Expression args) {
        if (args instanceof TupleExpression) return args.expressions.collect { argument(it) }
        return [argument(args)]
    }

    static Map argument(Expression e) {
        if (e instanceof ConstantExpression) {
            def v = e.value
            if (v instanceof String) return [kind: 'string', value: v]
            if (v instanceof Number) return [kind: 'number', value: v.toString()]
            if (v instanceof Boolean) return [kind: 'boolean', value: v.toString()]
            if (v == null) return [kind: 'null']
            return [kind: 'expression', text: text(e)]
        }
        if (e instanceof GStringExpression) return [kind: 'gstring', value: text(e)]
        if (e instanceof ClosureExpression) {
            def params = e.parameters == null ? [] : e.parameters.collect { it.name }
            return position(e, [kind: 'closure', params: params, body: statements(e.code)])
        }
        if (e instanceof VariableExpression) return [kind: 'identifier', value: e.name]
        if (e instanceof PropertyExpression) return [kind: 'property', value: text(e)]
        if (e instanceof MethodCallExpression) {
            def chain = []
            Expression cur = e
            while (cur instanceof MethodCallExpression) {
                chain.add(0, [name: cur.methodAsString, args: arguments(cur.arguments)])
                if (cur.implicitThis) { cur = null; break }
                cur = cur.objectExpression
            }
            def m = [kind: 'call', value: text(e), chain: chain]
            if (cur != null) m.receiver = text(cur)
            return m
        }
        if (e instanceof MapExpression) return [kind: 'map', value: text(e)]
        return [kind: 'expression', value: text(e)]
    }
}

class Shared {
    static final CompilerConfiguration CONFIG = new CompilerConfiguration(tolerance: 10)
    // One loader for every request: its class-resolution cache makes later compiles cheaper.
    static final GroovyClassLoader LOADER = new GroovyClassLoader(Shared.classLoader, CONFIG)
}

// One compiler message as {line, column, message}, plus the source name it belongs to (null when unknown).
def describe(msg) {
    if (msg instanceof SyntaxErrorMessage) {
        def c = msg.cause
        return [entry: [line: c.line, column: c.startColumn, message: c.originalMessage], source: c.sourceLocator]
    }
    if (msg instanceof ExceptionMessage) return [entry: [line: 0, column: 0, message: msg.cause.toString()], source: null]
    if (msg instanceof SimpleMessage) return [entry: [line: 0, column: 0, message: msg.message], source: null]
    return [entry: [line: 0, column: 0, message: msg.toString()], source: null]
}

def treeResult(source, List errors, List warnings) {
    def tree = null
    def ast = source.AST
    if (ast != null && errors.isEmpty()) {
        try { tree = DslTree.statements(ast.statementBlock) } catch (Throwable t) { warnings << [line: 0, column: 0, message: 'tree: ' + t] }
    }
    return [ok: errors.isEmpty(), errors: errors, warnings: warnings, tree: tree]
}

def compileOne(String text) {
    def errors = []
    def warnings = []
    def unit = new CompilationUnit(Shared.CONFIG, null, Shared.LOADER)
    def source = unit.addSource('DslScript.groovy', text)
    try {
        unit.compile(Phases.SEMANTIC_ANALYSIS)
    } catch (CompilationFailedException ignored) {
    } catch (Throwable t) {
        errors << [line: 0, column: 0, message: 'compiler failure: ' + t.toString()]
    }
    (unit.errorCollector.errors ?: []).each { msg ->
        def entry = describe(msg).entry
        if (entry.message?.contains('unable to resolve class')) warnings << entry else errors << entry
    }
    return treeResult(source, errors, warnings)
}

def check(Map req) {
    def result = compileOne((req.source ?: '') as String)
    result.id = req.id
    return result
}

// Compiles the scripts at `indexes` in ONE CompilationUnit (one SourceUnit each). When the unit is
// clean every script gets its tree; otherwise the scripts named by error messages are compiled
// alone and the rest re-batched once; unattributable errors or a second failure → one by one.
def compileGroup(List texts, List indexes, Object[] results, boolean maySplit) {
    if (indexes.isEmpty()) return
    if (indexes.size() == 1) { results[indexes[0]] = compileOne(texts[indexes[0]]); return }
    def unit = new CompilationUnit(Shared.CONFIG, null, Shared.LOADER)
    def byName = [:]
    def sources = [:]
    indexes.each { i ->
        def name = "BatchScript${i}.groovy".toString()
        byName[name] = i
        sources[i] = unit.addSource(name, texts[i])
    }
    boolean unattributed = false
    try {
        unit.compile(Phases.SEMANTIC_ANALYSIS)
    } catch (CompilationFailedException ignored) {
    } catch (Throwable t) {
        unattributed = true
    }
    def messages = unit.errorCollector.errors ?: []
    if (!unattributed && messages.isEmpty()) {
        indexes.each { i -> results[i] = treeResult(sources[i], [], []) }
        return
    }
    def failing = new LinkedHashSet()
    messages.each { msg ->
        def d = describe(msg)
        if (d.source != null && byName.containsKey(d.source)) failing << byName[d.source] else unattributed = true
    }
    if (unattributed || !maySplit) {
        indexes.each { i -> results[i] = compileOne(texts[i]) }
        return
    }
    failing.each { i -> results[i] = compileOne(texts[i]) }
    compileGroup(texts, indexes.findAll { !failing.contains(it) }, results, false)
}

def checkBatch(Map req) {
    List items = req.batch as List
    List texts = items.collect { (it instanceof Map ? (it.source ?: '') : '') as String }
    Object[] results = new Object[texts.size()]
    compileGroup(texts, (0..<texts.size()).toList(), results, true)
    return [id: req.id, results: results as List]
}

def input = new BufferedReader(new InputStreamReader(System.in, 'UTF-8'))
def output = new PrintStream(new FileOutputStream(FileDescriptor.out), true, 'UTF-8')
output.println(JsonOutput.toJson([ready: true, groovy: GroovySystem.version]))
def slurper = new JsonSlurper()
String line
while ((line = input.readLine()) != null) {
    if (line.trim().isEmpty()) continue
    def response
    try {
        def req = slurper.parseText(line)
        response = (req instanceof Map && req.batch instanceof List) ? checkBatch(req as Map) : check(req as Map)
    } catch (Throwable t) {
        response = [id: null, ok: false, errors: [[line: 0, column: 0, message: 'bad request: ' + t.toString()]], warnings: [], tree: null]
    }
    output.println(JsonOutput.toJson(response))
}
