package io.scanorder.proto;

import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.internal.parser.EnumConstantElement;
import com.squareup.wire.schema.internal.parser.EnumElement;
import com.squareup.wire.schema.internal.parser.FieldElement;
import com.squareup.wire.schema.internal.parser.MessageElement;
import com.squareup.wire.schema.internal.parser.OneOfElement;
import com.squareup.wire.schema.internal.parser.OptionElement;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.ProtoParser;
import com.squareup.wire.schema.internal.parser.RpcElement;
import com.squareup.wire.schema.internal.parser.ServiceElement;
import com.squareup.wire.schema.internal.parser.TypeElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * House rules for ScanOrder's .proto contracts, checked on Wire's syntax tree: versioned packages
 * that match the file path, Java options, a leading comment on every service, rpc, message, enum,
 * enum value and field, and money as int64 fen.
 */
final class ProtoContractLint {
    private static final Pattern PACKAGE =
            Pattern.compile("scanorder\\.([a-z][a-z0-9_]*)\\.v([1-9][0-9]*)");
    private static final Set<String> SCALARS =
            Set.of(
                    "double",
                    "float",
                    "int32",
                    "int64",
                    "uint32",
                    "uint64",
                    "sint32",
                    "sint64",
                    "fixed32",
                    "fixed64",
                    "sfixed32",
                    "sfixed64",
                    "bool",
                    "string",
                    "bytes");

    /** Words that make a scalar field a money amount (whole words of its snake_case name). */
    private static final Set<String> MONEY_WORDS =
            Set.of(
                    "amount",
                    "price",
                    "cost",
                    "total",
                    "fee",
                    "balance",
                    "subtotal",
                    "discount",
                    "fen",
                    "yuan");

    private ProtoContractLint() {}

    /**
     * Returns the violations in one file, each as "path:line: element: problem"; empty when the
     * file follows the rules.
     *
     * @param path the file's path relative to the proto root, e.g. {@code
     *     scanorder/order/v1/order.proto}
     */
    static List<String> lint(String path, String content) {
        ProtoFileElement file = ProtoParser.Companion.parse(Location.get(path), content);
        List<String> out = new ArrayList<>();
        checkPackageAndOptions(path, file, out);
        for (ServiceElement service : file.getServices()) {
            requireDoc(
                    service.getLocation(),
                    "service " + service.getName(),
                    service.getDocumentation(),
                    out);
            for (RpcElement rpc : service.getRpcs()) {
                requireDoc(
                        rpc.getLocation(),
                        "rpc " + service.getName() + "." + rpc.getName(),
                        rpc.getDocumentation(),
                        out);
            }
        }
        for (TypeElement type : file.getTypes()) {
            checkType(type, "", out);
        }
        return out;
    }

    private static void checkPackageAndOptions(
            String path, ProtoFileElement file, List<String> out) {
        String pkg = file.getPackageName();
        Matcher m = pkg == null ? null : PACKAGE.matcher(pkg);
        if (m == null || !m.matches()) {
            out.add(
                    path
                            + ": package '"
                            + pkg
                            + "' must be scanorder.<name>.v<N> (e.g. scanorder.order.v1)");
            return;
        }
        String dir = pkg.replace('.', '/') + "/";
        if (!path.startsWith(dir)) {
            out.add(path + ": package " + pkg + " must live under " + dir);
        }
        String javaPackage = "io.scanorder.proto." + m.group(1) + ".v" + m.group(2);
        if (!"true".equals(option(file, "java_multiple_files"))) {
            out.add(path + ": option java_multiple_files must be true");
        }
        if (!javaPackage.equals(option(file, "java_package"))) {
            out.add(
                    path
                            + ": option java_package must be \""
                            + javaPackage
                            + "\" but is "
                            + option(file, "java_package"));
        }
    }

    private static String option(ProtoFileElement file, String name) {
        for (OptionElement option : file.getOptions()) {
            if (option.getName().equals(name)) {
                return String.valueOf(option.getValue());
            }
        }
        return null;
    }

    private static void checkType(TypeElement type, String prefix, List<String> out) {
        String name = prefix + type.getName();
        if (type instanceof MessageElement message) {
            requireDoc(type.getLocation(), "message " + name, type.getDocumentation(), out);
            List<FieldElement> fields = new ArrayList<>(message.getFields());
            for (OneOfElement oneOf : message.getOneOfs()) {
                requireDoc(
                        type.getLocation(),
                        "oneof " + name + "." + oneOf.getName(),
                        oneOf.getDocumentation(),
                        out);
                fields.addAll(oneOf.getFields());
            }
            for (FieldElement field : fields) {
                String where = "field " + name + "." + field.getName();
                requireDoc(field.getLocation(), where, field.getDocumentation(), out);
                checkMoney(field, where, out);
            }
        } else if (type instanceof EnumElement enumType) {
            requireDoc(type.getLocation(), "enum " + name, type.getDocumentation(), out);
            for (EnumConstantElement constant : enumType.getConstants()) {
                requireDoc(
                        constant.getLocation(),
                        "enum value " + name + "." + constant.getName(),
                        constant.getDocumentation(),
                        out);
            }
        }
        for (TypeElement nested : type.getNestedTypes()) {
            checkType(nested, name + ".", out);
        }
    }

    private static void checkMoney(FieldElement field, String where, List<String> out) {
        String fieldName = field.getName();
        String type = field.getType();
        boolean named = fieldName.endsWith("_fen");
        boolean looksLikeMoney =
                SCALARS.contains(type)
                        && Arrays.stream(fieldName.split("_")).anyMatch(MONEY_WORDS::contains);
        if (named && !"int64".equals(type)) {
            out.add(at(field.getLocation(), where, "money field must be int64 (fen), not " + type));
        } else if (looksLikeMoney && !named) {
            out.add(
                    at(
                            field.getLocation(),
                            where,
                            "looks like money; use int64 and name it *_fen (amounts in fen)"));
        }
    }

    private static void requireDoc(Location location, String where, String doc, List<String> out) {
        if (doc == null || doc.isBlank()) {
            out.add(at(location, where, "has no leading comment"));
        }
    }

    private static String at(Location location, String where, String problem) {
        return location.getPath() + ":" + location.getLine() + ": " + where + ": " + problem;
    }
}
