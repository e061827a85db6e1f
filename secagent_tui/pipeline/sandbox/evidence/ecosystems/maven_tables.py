"""Maven artifact → Java package prefixes, and artifacts that run without an import.

Provenance: written by hand from each project's published Javadoc package list (the
packages its jar exports); no metadata source for Maven maps artifacts to packages without
opening each jar, so an artifact outside this table is searched under guessed prefixes and
can never be proven unused. Glob patterns match group and artifact ids in lower case.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from typing import Any

MAVEN_PACKAGES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("com.fasterxml.jackson.core", "jackson-databind", ("com.fasterxml.jackson.databind",)),
    ("com.fasterxml.jackson.core", "jackson-core", ("com.fasterxml.jackson.core",)),
    ("com.fasterxml.jackson.core", "jackson-annotations", ("com.fasterxml.jackson.annotation",)),
    ("com.fasterxml.jackson.dataformat", "*", ("com.fasterxml.jackson.dataformat",)),
    ("org.apache.logging.log4j", "*", ("org.apache.logging.log4j",)),
    ("log4j", "log4j", ("org.apache.log4j",)),
    ("org.springframework", "spring-*", ("org.springframework",)),
    ("org.springframework.*", "*", ("org.springframework",)),
    ("commons-collections", "commons-collections", ("org.apache.commons.collections",)),
    ("org.apache.commons", "commons-collections4", ("org.apache.commons.collections4",)),
    ("org.apache.commons", "commons-text", ("org.apache.commons.text",)),
    ("org.apache.commons", "commons-lang3", ("org.apache.commons.lang3",)),
    ("org.apache.commons", "commons-compress", ("org.apache.commons.compress",)),
    ("org.apache.commons", "commons-configuration2", ("org.apache.commons.configuration2",)),
    ("commons-lang", "commons-lang", ("org.apache.commons.lang",)),
    ("commons-io", "commons-io", ("org.apache.commons.io",)),
    ("commons-codec", "commons-codec", ("org.apache.commons.codec",)),
    ("commons-fileupload", "commons-fileupload", ("org.apache.commons.fileupload",)),
    ("commons-beanutils", "commons-beanutils", ("org.apache.commons.beanutils",)),
    ("com.google.guava", "guava", ("com.google.common", "com.google.thirdparty")),
    ("io.netty", "netty-*", ("io.netty",)),
    ("io.netty", "netty", ("org.jboss.netty", "io.netty")),
    ("ch.qos.logback", "*", ("ch.qos.logback",)),
    ("com.google.code.gson", "gson", ("com.google.gson",)),
    ("org.yaml", "snakeyaml", ("org.yaml.snakeyaml",)),
    ("org.apache.httpcomponents", "http*", ("org.apache.http",)),
    ("org.apache.httpcomponents.client5", "*", ("org.apache.hc.client5",)),
    ("org.apache.httpcomponents.core5", "*", ("org.apache.hc.core5",)),
    ("com.squareup.okhttp3", "*", ("okhttp3",)),
    ("org.bouncycastle", "*", ("org.bouncycastle",)),
    ("org.postgresql", "postgresql", ("org.postgresql",)),
    ("mysql", "mysql-connector-java", ("com.mysql",)),
    ("com.mysql", "mysql-connector-j", ("com.mysql",)),
    ("com.h2database", "h2", ("org.h2",)),
    (
        "org.apache.tomcat.embed",
        "*",
        ("org.apache.catalina", "org.apache.tomcat", "org.apache.coyote", "org.apache.jasper"),
    ),
    ("org.eclipse.jetty*", "*", ("org.eclipse.jetty",)),
    ("io.undertow", "*", ("io.undertow",)),
    ("org.apache.struts", "struts2-*", ("org.apache.struts2", "com.opensymphony.xwork2")),
    ("org.jsoup", "jsoup", ("org.jsoup",)),
    ("*dom4j", "dom4j", ("org.dom4j",)),
    ("com.thoughtworks.xstream", "xstream", ("com.thoughtworks.xstream",)),
    ("org.apache.shiro", "*", ("org.apache.shiro",)),
    ("org.hibernate*", "*", ("org.hibernate",)),
    ("io.projectreactor.netty", "*", ("reactor.netty",)),
    ("org.apache.kafka", "kafka-clients", ("org.apache.kafka",)),
    ("com.nimbusds", "nimbus-jose-jwt", ("com.nimbusds.jose", "com.nimbusds.jwt")),
    ("io.jsonwebtoken", "*", ("io.jsonwebtoken",)),
    ("org.apache.velocity", "*", ("org.apache.velocity",)),
    ("org.freemarker", "freemarker", ("freemarker",)),
    ("org.apache.poi", "*", ("org.apache.poi",)),
    ("com.google.protobuf", "protobuf-java*", ("com.google.protobuf",)),
    ("io.grpc", "*", ("io.grpc",)),
    ("net.minidev", "json-smart", ("net.minidev.json",)),
    ("org.json", "json", ("org.json",)),
    ("com.alibaba", "fastjson", ("com.alibaba.fastjson",)),
    ("junit", "junit", ("org.junit", "junit")),
    ("org.slf4j", "*", ("org.slf4j",)),
    ("org.apache.santuario", "xmlsec", ("org.apache.xml.security",)),
    ("org.apache.pdfbox", "*", ("org.apache.pdfbox",)),
    ("org.mozilla", "rhino", ("org.mozilla.javascript",)),
    ("org.codehaus.groovy", "*", ("groovy", "org.codehaus.groovy")),
    ("org.jetbrains.kotlin", "kotlin-stdlib*", ("kotlin",)),
    ("org.scala-lang", "scala-library", ("scala",)),
    ("org.xerial", "sqlite-jdbc", ("org.sqlite",)),
    ("org.mariadb.jdbc", "mariadb-java-client", ("org.mariadb.jdbc",)),
    ("com.microsoft.sqlserver", "mssql-jdbc", ("com.microsoft.sqlserver",)),
)

_JVM_LOGGING = "a logging backend found by log4j-api/SLF4J at run time: code logs through it "
_JVM_LOGGING += "without importing it"
_JVM_SERVER = "an embedded server or network transport started by the framework, not this code"
_JVM_JDBC = "a JDBC driver, loaded from a connection URL rather than imported"
_JVM_IMPLICIT = "the language's standard library, used without imports"
MAVEN_RUNTIME: tuple[tuple[str, str, str], ...] = (
    ("org.apache.logging.log4j", "log4j-core", _JVM_LOGGING),
    ("org.apache.logging.log4j", "log4j-slf4j*", _JVM_LOGGING),
    ("ch.qos.logback", "logback-*", _JVM_LOGGING),
    ("log4j", "log4j", _JVM_LOGGING),
    ("org.slf4j", "slf4j-*", _JVM_LOGGING),
    ("org.apache.tomcat.embed", "*", _JVM_SERVER),
    ("org.eclipse.jetty*", "*", _JVM_SERVER),
    ("io.undertow", "*", _JVM_SERVER),
    ("io.netty", "*", _JVM_SERVER),
    ("io.projectreactor.netty", "*", _JVM_SERVER),
    ("org.postgresql", "postgresql", _JVM_JDBC),
    ("mysql", "mysql-connector-java", _JVM_JDBC),
    ("com.mysql", "mysql-connector-j", _JVM_JDBC),
    ("com.h2database", "h2", _JVM_JDBC),
    ("org.mariadb.jdbc", "*", _JVM_JDBC),
    ("com.microsoft.sqlserver", "mssql-jdbc", _JVM_JDBC),
    ("com.oracle.database.jdbc", "*", _JVM_JDBC),
    ("org.xerial", "sqlite-jdbc", _JVM_JDBC),
    ("org.hsqldb", "*", _JVM_JDBC),
    ("org.apache.derby", "*", _JVM_JDBC),
    ("org.jetbrains.kotlin", "kotlin-stdlib*", _JVM_IMPLICIT),
    ("org.scala-lang", "scala-library", _JVM_IMPLICIT),
)


def lookup(table: Iterable[tuple[str, str, Any]], group: str, artifact: str) -> list[Any]:
    return [
        value
        for g, a, value in table
        if fnmatch.fnmatchcase(group.lower(), g) and fnmatch.fnmatchcase(artifact.lower(), a)
    ]


# JDBC URL scheme → the artifacts that register that driver (loaded from the URL alone).
JDBC_SCHEMES: tuple[tuple[str, str, str], ...] = (
    ("postgresql", "org.postgresql", "postgresql"),
    ("mysql", "mysql", "mysql-connector-java"),
    ("mysql", "com.mysql", "mysql-connector-j"),
    ("mariadb", "org.mariadb.jdbc", "mariadb-java-client"),
    ("h2", "com.h2database", "h2"),
    ("sqlserver", "com.microsoft.sqlserver", "mssql-jdbc"),
    ("oracle", "com.oracle.database.jdbc", "ojdbc*"),
    ("oracle", "com.oracle.ojdbc", "ojdbc*"),
    ("sqlite", "org.xerial", "sqlite-jdbc"),
    ("hsqldb", "org.hsqldb", "hsqldb"),
    ("derby", "org.apache.derby", "derby*"),
)

# Spring Boot starter artifact → artifacts it brings in and starts (the starter's own pom).
SPRING_STARTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("spring-boot-starter-web", ("tomcat-embed-*", "jackson-*", "spring-web", "spring-webmvc")),
    ("spring-boot-starter-tomcat", ("tomcat-embed-*",)),
    ("spring-boot-starter-jetty", ("jetty-*",)),
    ("spring-boot-starter-undertow", ("undertow-*",)),
    ("spring-boot-starter-webflux", ("reactor-netty*", "netty-*", "jackson-*", "spring-webflux")),
    ("spring-boot-starter-reactor-netty", ("reactor-netty*", "netty-*")),
    ("spring-boot-starter-json", ("jackson-*",)),
    ("spring-boot-starter-data-jpa", ("hibernate-core", "spring-data-jpa")),
    ("spring-boot-starter-security", ("spring-security-*",)),
    ("spring-boot-starter-thymeleaf", ("thymeleaf*",)),
    ("spring-boot-starter-logging", ("logback-*", "log4j-to-slf4j", "jul-to-slf4j")),
    ("spring-boot-starter-log4j2", ("log4j-*",)),
    ("spring-boot-starter", ("snakeyaml", "logback-*", "spring-core", "spring-context")),
    ("spring-boot-starter-*", ("snakeyaml", "logback-*", "spring-core", "spring-context")),
)
