import ArgumentParser
import GRDB
import LISP
import LISPNet
import LocusCore
import LocusEngine
import LocusLab
import LocusStore
import LocusTUI

print("locus")
